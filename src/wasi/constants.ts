/**
 * Preview1 flag and enum values other than errno, numbered as in the specification
 * (legacy/preview1/docs.md), plus the rights sets this host hands out. Numbers only: no logic.
 */

/** `rights` bits (u64). */
export const Rights = {
  fdDatasync: 1n << 0n,
  fdRead: 1n << 1n,
  fdSeek: 1n << 2n,
  fdFdstatSetFlags: 1n << 3n,
  fdSync: 1n << 4n,
  fdTell: 1n << 5n,
  fdWrite: 1n << 6n,
  fdAdvise: 1n << 7n,
  fdAllocate: 1n << 8n,
  pathCreateDirectory: 1n << 9n,
  pathCreateFile: 1n << 10n,
  pathLinkSource: 1n << 11n,
  pathLinkTarget: 1n << 12n,
  pathOpen: 1n << 13n,
  fdReaddir: 1n << 14n,
  pathReadlink: 1n << 15n,
  pathRenameSource: 1n << 16n,
  pathRenameTarget: 1n << 17n,
  pathFilestatGet: 1n << 18n,
  pathFilestatSetSize: 1n << 19n,
  pathFilestatSetTimes: 1n << 20n,
  fdFilestatGet: 1n << 21n,
  fdFilestatSetSize: 1n << 22n,
  fdFilestatSetTimes: 1n << 23n,
  pathSymlink: 1n << 24n,
  pathRemoveDirectory: 1n << 25n,
  pathUnlinkFile: 1n << 26n,
  pollFdReadwrite: 1n << 27n,
  sockShutdown: 1n << 28n,
  sockAccept: 1n << 29n,
} as const;

/** Every defined rights bit. */
export const ALL_RIGHTS = (1n << 30n) - 1n;

/** Rights that make sense on a regular file descriptor. */
export const FILE_RIGHTS =
  Rights.fdDatasync | Rights.fdRead | Rights.fdSeek | Rights.fdFdstatSetFlags | Rights.fdSync |
  Rights.fdTell | Rights.fdWrite | Rights.fdAdvise | Rights.fdAllocate | Rights.fdFilestatGet |
  Rights.fdFilestatSetSize | Rights.fdFilestatSetTimes | Rights.pollFdReadwrite;

/** Rights that make sense on a directory descriptor (its own, not those it passes on). */
export const DIRECTORY_RIGHTS =
  Rights.fdFdstatSetFlags | Rights.fdSync | Rights.fdAdvise | Rights.pathCreateDirectory |
  Rights.pathCreateFile | Rights.pathLinkSource | Rights.pathLinkTarget | Rights.pathOpen |
  Rights.fdReaddir | Rights.pathReadlink | Rights.pathRenameSource | Rights.pathRenameTarget |
  Rights.pathFilestatGet | Rights.pathFilestatSetSize | Rights.pathFilestatSetTimes |
  Rights.fdFilestatGet | Rights.fdFilestatSetTimes | Rights.pathSymlink |
  Rights.pathRemoveDirectory | Rights.pathUnlinkFile;

/** stdin: readable only. stdio is a stream, so no seek/tell (those answer `spipe`). */
export const STDIN_RIGHTS =
  Rights.fdRead | Rights.fdFdstatSetFlags | Rights.fdFilestatGet | Rights.pollFdReadwrite;

/** stdout and stderr: writable only. */
export const STDOUT_RIGHTS =
  Rights.fdWrite | Rights.fdFdstatSetFlags | Rights.fdFilestatGet | Rights.pollFdReadwrite;

/** `filetype` (u8). */
export const Filetype = {
  unknown: 0,
  blockDevice: 1,
  characterDevice: 2,
  directory: 3,
  regularFile: 4,
  socketDgram: 5,
  socketStream: 6,
  symbolicLink: 7,
} as const;

/** `fdflags` (u16). */
export const Fdflags = { append: 1, dsync: 2, nonblock: 4, rsync: 8, sync: 16 } as const;
export const FDFLAGS_ALL = 31;

/** `oflags` (u16). */
export const Oflags = { creat: 1, directory: 2, excl: 4, trunc: 8 } as const;
export const OFLAGS_ALL = 15;

/** `lookupflags` (u32). */
export const Lookupflags = { symlinkFollow: 1 } as const;

/** `fstflags` (u16). */
export const Fstflags = { atim: 1, atimNow: 2, mtim: 4, mtimNow: 8 } as const;
export const FSTFLAGS_ALL = 15;

/** `whence` (u8). */
export const Whence = { set: 0, cur: 1, end: 2 } as const;

/** `clockid` (u32). */
export const Clockid = { realtime: 0, monotonic: 1, processCputime: 2, threadCputime: 3 } as const;

/** `eventtype` (u8): also the tag of a subscription's union. */
export const Eventtype = { clock: 0, fdRead: 1, fdWrite: 2 } as const;

/** `subclockflags` (u16). */
export const Subclockflags = { abstime: 1 } as const;

/** `advice` (u8): normal=0 ... noreuse=5. */
export const ADVICE_MAX = 5;

/** `preopentype` (u8). */
export const Preopentype = { dir: 0 } as const;

/** `sdflags` (u8). */
export const Sdflags = { rd: 1, wr: 2 } as const;
