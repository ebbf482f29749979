/**
 * path_* conformance: creation, removal, links, renames, stat, times, and the sandbox: no
 * absolute path, `..` or symlink may reach outside the directory descriptor.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Rights } from '../../src/wasi/constants.js';
import { Errno } from '../../src/wasi/errno.js';
import { PREOPEN_FD, makeHost, type Harness } from './harness.js';

let h: Harness;
afterEach(() => h?.dispose());

const FOLLOW = 1;

/** Calls a (fd, path_ptr, path_len) function. */
function onPath(name: string, p: string, fd = PREOPEN_FD): number {
  const [pp, pl] = h.str(p);
  return h.f[name](fd, pp, pl);
}

function filestat(p: string, flags = FOLLOW): [number, number, bigint] {
  const [pp, pl] = h.str(p);
  const buf = h.alloc(64);
  const e = h.f.path_filestat_get(PREOPEN_FD, flags, pp, pl, buf);
  return [e, h.bytes(buf, 64)[16], h.u64(buf + 32)];
}

function symlink(target: string, at: string): number {
  const [op, ol] = h.str(target);
  const [np, nl] = h.str(at);
  return h.f.path_symlink(op, ol, PREOPEN_FD, np, nl);
}

function readlink(p: string, size: number): [number, string] {
  const [pp, pl] = h.str(p);
  const buf = h.alloc(size);
  const used = h.alloc(4);
  const e = h.f.path_readlink(PREOPEN_FD, pp, pl, buf, size, used);
  return [e, Buffer.from(h.bytes(buf, h.u32(used))).toString()];
}

function twoPaths(name: string, a: string, b: string, flags?: number): number {
  const [ap, al] = h.str(a);
  const [bp, bl] = h.str(b);
  return name === 'path_link'
    ? h.f.path_link(PREOPEN_FD, flags ?? 0, ap, al, PREOPEN_FD, bp, bl)
    : h.f.path_rename(PREOPEN_FD, ap, al, PREOPEN_FD, bp, bl);
}

describe('directories and files', () => {
  it('creates and removes directories with POSIX errors', () => {
    h = makeHost();
    expect(onPath('path_create_directory', 'd')).toBe(0);
    expect(fs.statSync(h.at('d')).isDirectory()).toBe(true);
    expect(onPath('path_create_directory', 'd')).toBe(Errno.exist);
    expect(onPath('path_create_directory', 'missing/d')).toBe(Errno.noent);
    fs.writeFileSync(h.at('d', 'f'), '');
    expect(onPath('path_remove_directory', 'd')).toBe(Errno.notempty);
    expect(onPath('path_remove_directory', 'd/f')).toBe(Errno.notdir);
    expect(onPath('path_create_directory', 'd/f/x')).toBe(Errno.notdir);
    expect(onPath('path_unlink_file', 'd')).toBe(Errno.isdir);
    expect(onPath('path_unlink_file', 'd/f')).toBe(0);
    expect(onPath('path_unlink_file', 'd/f')).toBe(Errno.noent);
    expect(onPath('path_remove_directory', 'd')).toBe(0);
    expect(fs.existsSync(h.at('d'))).toBe(false);
  });

  it('path_filestat_get reports type and size, following symlinks only when asked', () => {
    h = makeHost();
    fs.writeFileSync(h.at('f'), '12345');
    fs.symlinkSync('f', h.at('l'));
    expect(filestat('f')).toEqual([0, 4, 5n]);
    expect(filestat('l')).toEqual([0, 4, 5n]);
    const [e, type] = filestat('l', 0);
    expect([e, type]).toEqual([0, 7]);
    expect(filestat('.')[1]).toBe(3);
    expect(filestat('nope')[0]).toBe(Errno.noent);
    expect(filestat('f/')[0]).toBe(Errno.notdir);
  });

  it('path_filestat_set_times sets ns times and validates flags', () => {
    h = makeHost();
    fs.writeFileSync(h.at('f'), '');
    const [pp, pl] = h.str('f');
    expect(h.f.path_filestat_set_times(PREOPEN_FD, FOLLOW, pp, pl, 9_000_000_000n, 8_000_000_000n, 1 | 4)).toBe(0);
    const s = fs.statSync(h.at('f'), { bigint: true });
    expect([s.atimeNs, s.mtimeNs]).toEqual([9_000_000_000n, 8_000_000_000n]);
    expect(h.f.path_filestat_set_times(PREOPEN_FD, FOLLOW, pp, pl, 0n, 0n, 3)).toBe(Errno.inval);
    // Without follow, a symlink's own times change, not its target's.
    fs.symlinkSync('f', h.at('l'));
    const [lp, ll] = h.str('l');
    expect(h.f.path_filestat_set_times(PREOPEN_FD, 0, lp, ll, 0n, 3_000_000_000n, 4)).toBe(0);
    expect(fs.lstatSync(h.at('l'), { bigint: true }).mtimeNs).toBe(3_000_000_000n);
    expect(fs.statSync(h.at('f'), { bigint: true }).mtimeNs).toBe(8_000_000_000n);
  });

  it('renames and hard-links', () => {
    h = makeHost();
    fs.writeFileSync(h.at('a'), 'A');
    expect(twoPaths('path_rename', 'a', 'b')).toBe(0);
    expect(fs.readFileSync(h.at('b'), 'utf8')).toBe('A');
    expect(twoPaths('path_rename', 'a', 'c')).toBe(Errno.noent);
    expect(twoPaths('path_link', 'b', 'c')).toBe(0);
    expect(fs.statSync(h.at('b')).nlink).toBe(2);
    expect(twoPaths('path_link', 'b', 'c')).toBe(Errno.exist);
    fs.mkdirSync(h.at('d'));
    fs.writeFileSync(h.at('d', 'x'), '');
    fs.mkdirSync(h.at('e'));
    expect(twoPaths('path_rename', 'e', 'd')).toBe(Errno.notempty);
    expect(twoPaths('path_rename', 'b', 'd')).toBe(Errno.isdir);
  });

  it('path_link follows a source symlink only with symlink_follow', () => {
    h = makeHost();
    fs.writeFileSync(h.at('f'), 'F');
    fs.symlinkSync('f', h.at('l'));
    expect(twoPaths('path_link', 'l', 'hard-to-link', 0)).toBe(0);
    expect(fs.lstatSync(h.at('hard-to-link')).isSymbolicLink()).toBe(true);
    expect(twoPaths('path_link', 'l', 'hard-to-file', FOLLOW)).toBe(0);
    expect(fs.lstatSync(h.at('hard-to-file')).isFile()).toBe(true);
  });

  it('creates and reads symlinks, truncating to the buffer', () => {
    h = makeHost();
    expect(symlink('target', 'l')).toBe(0);
    expect(fs.readlinkSync(h.at('l'))).toBe('target');
    expect(symlink('x', 'l')).toBe(Errno.exist);
    expect(readlink('l', 10)).toEqual([0, 'target']);
    expect(readlink('l', 4)).toEqual([0, 'targ']);
    fs.writeFileSync(h.at('f'), '');
    expect(readlink('f', 10)[0]).toBe(Errno.inval);
    expect(readlink('nope', 10)[0]).toBe(Errno.noent);
    // Unlinking a symlink removes the link, not its target.
    fs.writeFileSync(h.at('target'), 'T');
    expect(onPath('path_unlink_file', 'l')).toBe(0);
    expect(fs.existsSync(h.at('target'))).toBe(true);
  });

  it('answers notcapable for each missing path right', () => {
    h = makeHost();
    fs.writeFileSync(h.at('f'), '');
    expect(h.f.fd_fdstat_set_rights(PREOPEN_FD, Rights.pathOpen, 0n)).toBe(0);
    expect(onPath('path_create_directory', 'd')).toBe(Errno.notcapable);
    expect(onPath('path_remove_directory', 'd')).toBe(Errno.notcapable);
    expect(onPath('path_unlink_file', 'f')).toBe(Errno.notcapable);
    expect(filestat('f')[0]).toBe(Errno.notcapable);
    expect(symlink('f', 'l')).toBe(Errno.notcapable);
    expect(readlink('f', 4)[0]).toBe(Errno.notcapable);
    expect(twoPaths('path_rename', 'f', 'g')).toBe(Errno.notcapable);
    expect(twoPaths('path_link', 'f', 'g')).toBe(Errno.notcapable);
    const [pp, pl] = h.str('f');
    expect(h.f.path_filestat_set_times(PREOPEN_FD, 0, pp, pl, 0n, 0n, 2)).toBe(Errno.notcapable);
    expect(fs.existsSync(h.at('f'))).toBe(true);
  });

  it('answers notdir for path functions on a non-directory descriptor and ilseq for bad UTF-8', () => {
    h = makeHost();
    expect(onPath('path_create_directory', 'd', 1)).toBe(Errno.notdir);
    expect(onPath('path_unlink_file', 'd', 99)).toBe(Errno.badf);
    const p = h.alloc(2);
    new Uint8Array(h.mem.buffer).set([0xff, 0xfe], p);
    expect(h.f.path_create_directory(PREOPEN_FD, p, 2)).toBe(Errno.ilseq);
    expect(onPath('path_create_directory', '')).toBe(Errno.noent);
    expect(onPath('path_create_directory', 'a\0b')).toBe(Errno.inval);
  });
});

describe('sandbox', () => {
  it('refuses absolute paths and .. above the root with perm', () => {
    h = makeHost();
    const outside = fs.mkdtempSync(path.join(path.dirname(h.dir), 'wtrace-outside-'));
    fs.writeFileSync(path.join(outside, 'secret'), 'S');
    const rel = `../${path.basename(outside)}/secret`;
    expect(h.open(path.join(outside, 'secret'))[0]).toBe(Errno.perm);
    expect(h.open(rel)[0]).toBe(Errno.perm);
    expect(h.open('..')[0]).toBe(Errno.perm);
    expect(onPath('path_create_directory', '../escape')).toBe(Errno.perm);
    expect(onPath('path_unlink_file', rel)).toBe(Errno.perm);
    expect(symlink('x', '../l')).toBe(Errno.perm);
    expect(twoPaths('path_rename', 'a', `../${path.basename(outside)}/moved`)).toBe(Errno.perm);
    expect(fs.readFileSync(path.join(outside, 'secret'), 'utf8')).toBe('S');
    // .. that stays inside is fine.
    fs.mkdirSync(h.at('d'));
    fs.writeFileSync(h.at('f'), 'inside');
    const [e, fd] = h.open('d/./../d/../f');
    expect(e).toBe(0);
    expect(h.read(fd, 10)).toEqual([0, 'inside']);
    fs.rmSync(outside, { recursive: true });
  });

  it('never follows symlinks out of the sandbox', () => {
    h = makeHost();
    const outside = fs.mkdtempSync(path.join(path.dirname(h.dir), 'wtrace-outside-'));
    fs.writeFileSync(path.join(outside, 'secret'), 'S');
    fs.symlinkSync(outside, h.at('abs'));
    fs.symlinkSync(`../${path.basename(outside)}`, h.at('rel'));
    fs.symlinkSync('abs/secret', h.at('chain'));
    for (const p of ['abs/secret', 'rel/secret', 'chain']) {
      expect(h.open(p)[0], p).toBe(Errno.perm);
    }
    expect(filestat('abs/secret')[0]).toBe(Errno.perm);
    expect(onPath('path_create_directory', 'rel/new')).toBe(Errno.perm);
    // Without follow the final symlink itself is the object: open answers loop, stat sees a link.
    expect(h.open('abs', { follow: false })[0]).toBe(Errno.loop);
    expect(filestat('abs', 0)[1]).toBe(7);
    expect(fs.existsSync(path.join(outside, 'new'))).toBe(false);
    fs.rmSync(outside, { recursive: true });
  });

  it('follows symlinks that stay inside, and detects loops', () => {
    h = makeHost();
    fs.mkdirSync(h.at('d'));
    fs.writeFileSync(h.at('d', 'f'), 'via link');
    fs.symlinkSync('d', h.at('ld'));
    fs.symlinkSync('../d/f', h.at('d', 'up'));
    expect(h.read(h.open('ld/f')[1], 20)).toEqual([0, 'via link']);
    expect(h.read(h.open('ld/up')[1], 20)).toEqual([0, 'via link']);
    fs.symlinkSync('loop2', h.at('loop1'));
    fs.symlinkSync('loop1', h.at('loop2'));
    expect(h.open('loop1')[0]).toBe(Errno.loop);
    // A dangling symlink with creat creates its (inside) target.
    fs.symlinkSync('made', h.at('dangling'));
    expect(h.open('dangling', { oflags: 1 })[0]).toBe(0);
    expect(fs.existsSync(h.at('made'))).toBe(true);
  });

  it('a directory opened with path_open is its own sandbox root', () => {
    h = makeHost();
    fs.mkdirSync(h.at('d'));
    fs.writeFileSync(h.at('f'), 'top');
    const [e, dfd] = h.open('d', { oflags: 2, rights: Rights.pathOpen | Rights.fdReaddir });
    expect(e).toBe(0);
    expect(h.open('../f', { dirFd: dfd })[0]).toBe(Errno.perm);
    fs.writeFileSync(h.at('d', 'g'), 'inner');
    expect(h.read(h.open('g', { dirFd: dfd, rights: Rights.fdRead })[1], 10)).toEqual([0, 'inner']);
  });

  it('trailing slashes require a directory', () => {
    h = makeHost();
    fs.writeFileSync(h.at('f'), '');
    fs.mkdirSync(h.at('d'));
    expect(h.open('f/')[0]).toBe(Errno.notdir);
    expect(h.open('d/', { rights: Rights.fdReaddir })[0]).toBe(0);
    expect(h.open('d///', { rights: Rights.fdReaddir })[0]).toBe(0);
    expect(onPath('path_unlink_file', 'f/')).toBe(Errno.notdir);
  });
});
