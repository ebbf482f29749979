/**
 * The one place where anything a host function throws becomes a preview1 errno. Host code
 * throws `ErrnoError` for answers it decides itself and lets node:fs errors and `GuestFault`
 * propagate; `toErrno` turns them into numbers. `WasiExit` and genuine bugs (errors without a
 * system error code) are rethrown so they are never disguised as an errno.
 */
import { Errno, type ErrnoValue } from './errno.js';
import { GuestFault } from './guestMemory.js';

/** A host function's deliberate errno answer, thrown to unwind to the dispatcher. */
export class ErrnoError extends Error {
  constructor(readonly errno: ErrnoValue) {
    super(`wasi errno ${errno}`);
  }
}

/** Host (Linux/macOS) error codes as node:fs reports them, to preview1 errno. */
const SYSTEM_CODES: Readonly<Record<string, ErrnoValue>> = {
  E2BIG: Errno.toobig, EACCES: Errno.acces, EADDRINUSE: Errno.addrinuse,
  EADDRNOTAVAIL: Errno.addrnotavail, EAFNOSUPPORT: Errno.afnosupport, EAGAIN: Errno.again,
  EWOULDBLOCK: Errno.again, EALREADY: Errno.already, EBADF: Errno.badf, EBADMSG: Errno.badmsg,
  EBUSY: Errno.busy, ECANCELED: Errno.canceled, ECHILD: Errno.child,
  ECONNABORTED: Errno.connaborted, ECONNREFUSED: Errno.connrefused, ECONNRESET: Errno.connreset,
  EDEADLK: Errno.deadlk, EDESTADDRREQ: Errno.destaddrreq, EDOM: Errno.dom, EDQUOT: Errno.dquot,
  EEXIST: Errno.exist, EFAULT: Errno.fault, EFBIG: Errno.fbig, EHOSTUNREACH: Errno.hostunreach,
  EIDRM: Errno.idrm, EILSEQ: Errno.ilseq, EINPROGRESS: Errno.inprogress, EINTR: Errno.intr,
  EINVAL: Errno.inval, EIO: Errno.io, EISCONN: Errno.isconn, EISDIR: Errno.isdir,
  ELOOP: Errno.loop, EMFILE: Errno.mfile, EMLINK: Errno.mlink, EMSGSIZE: Errno.msgsize,
  EMULTIHOP: Errno.multihop, ENAMETOOLONG: Errno.nametoolong, ENETDOWN: Errno.netdown,
  ENETRESET: Errno.netreset, ENETUNREACH: Errno.netunreach, ENFILE: Errno.nfile,
  ENOBUFS: Errno.nobufs, ENODEV: Errno.nodev, ENOENT: Errno.noent, ENOEXEC: Errno.noexec,
  ENOLCK: Errno.nolck, ENOLINK: Errno.nolink, ENOMEM: Errno.nomem, ENOMSG: Errno.nomsg,
  ENOPROTOOPT: Errno.noprotoopt, ENOSPC: Errno.nospc, ENOSYS: Errno.nosys,
  ENOTCONN: Errno.notconn, ENOTDIR: Errno.notdir, ENOTEMPTY: Errno.notempty,
  ENOTRECOVERABLE: Errno.notrecoverable, ENOTSOCK: Errno.notsock, ENOTSUP: Errno.notsup,
  EOPNOTSUPP: Errno.notsup, ENOTTY: Errno.notty, ENXIO: Errno.nxio, EOVERFLOW: Errno.overflow,
  EOWNERDEAD: Errno.ownerdead, EPERM: Errno.perm, EPIPE: Errno.pipe, EPROTO: Errno.proto,
  EPROTONOSUPPORT: Errno.protonosupport, EPROTOTYPE: Errno.prototype, ERANGE: Errno.range,
  EROFS: Errno.rofs, ESPIPE: Errno.spipe, ESRCH: Errno.srch, ESTALE: Errno.stale,
  ETIMEDOUT: Errno.timedout, ETXTBSY: Errno.txtbsy, EXDEV: Errno.xdev,
  // Node's own argument checks: reached only when a guest value is out of Node's range.
  ERR_OUT_OF_RANGE: Errno.inval, ERR_INVALID_ARG_VALUE: Errno.inval,
  ERR_FS_FILE_TOO_LARGE: Errno.fbig,
};

/**
 * The errno for an exception thrown by a host function. Rethrows `WasiExit`, and anything that
 * is neither ours, a guest fault, nor a system error: those are bugs and must stay visible.
 */
export function toErrno(error: unknown): ErrnoValue {
  if (error instanceof ErrnoError) return error.errno;
  if (error instanceof GuestFault) return Errno.fault;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    const mapped = SYSTEM_CODES[code];
    if (mapped !== undefined) return mapped;
    // An unlisted system error (E...) is still an I/O failure the guest should see.
    if (/^E[A-Z0-9]+$/.test(code)) return Errno.io;
  }
  throw error;
}
