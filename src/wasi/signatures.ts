/**
 * The `wasi_snapshot_preview1` functions: names and Wasm parameter types, in the order of the
 * WASI preview1 specification. The recorder encodes arguments by these types and the replay host
 * checks them; the live host implements exactly these names. Every function returns an errno
 * (i32) except `proc_exit`, which does not return.
 */

export const WASI_MODULE = 'wasi_snapshot_preview1';

export type WasmParam = 'i32' | 'i64';

export interface WasiSignature {
  readonly name: string;
  readonly params: readonly WasmParam[];
  /** False only for `proc_exit`. */
  readonly returnsErrno: boolean;
}

const i32 = 'i32' as const;
const i64 = 'i64' as const;

function sig(name: string, params: WasmParam[], returnsErrno = true): WasiSignature {
  return { name, params, returnsErrno };
}

/** Index in this list is the stable function id stored in traces (append only: never reorder). */
export const WASI_SIGNATURES: readonly WasiSignature[] = [
  sig('args_get', [i32, i32]),
  sig('args_sizes_get', [i32, i32]),
  sig('environ_get', [i32, i32]),
  sig('environ_sizes_get', [i32, i32]),
  sig('clock_res_get', [i32, i32]),
  sig('clock_time_get', [i32, i64, i32]),
  sig('fd_advise', [i32, i64, i64, i32]),
  sig('fd_allocate', [i32, i64, i64]),
  sig('fd_close', [i32]),
  sig('fd_datasync', [i32]),
  sig('fd_fdstat_get', [i32, i32]),
  sig('fd_fdstat_set_flags', [i32, i32]),
  sig('fd_fdstat_set_rights', [i32, i64, i64]),
  sig('fd_filestat_get', [i32, i32]),
  sig('fd_filestat_set_size', [i32, i64]),
  sig('fd_filestat_set_times', [i32, i64, i64, i32]),
  sig('fd_pread', [i32, i32, i32, i64, i32]),
  sig('fd_prestat_get', [i32, i32]),
  sig('fd_prestat_dir_name', [i32, i32, i32]),
  sig('fd_pwrite', [i32, i32, i32, i64, i32]),
  sig('fd_read', [i32, i32, i32, i32]),
  sig('fd_readdir', [i32, i32, i32, i64, i32]),
  sig('fd_renumber', [i32, i32]),
  sig('fd_seek', [i32, i64, i32, i32]),
  sig('fd_sync', [i32]),
  sig('fd_tell', [i32, i32]),
  sig('fd_write', [i32, i32, i32, i32]),
  sig('path_create_directory', [i32, i32, i32]),
  sig('path_filestat_get', [i32, i32, i32, i32, i32]),
  sig('path_filestat_set_times', [i32, i32, i32, i32, i64, i64, i32]),
  sig('path_link', [i32, i32, i32, i32, i32, i32, i32]),
  sig('path_open', [i32, i32, i32, i32, i32, i64, i64, i32, i32]),
  sig('path_readlink', [i32, i32, i32, i32, i32, i32]),
  sig('path_remove_directory', [i32, i32, i32]),
  sig('path_rename', [i32, i32, i32, i32, i32, i32]),
  sig('path_symlink', [i32, i32, i32, i32, i32]),
  sig('path_unlink_file', [i32, i32, i32]),
  sig('poll_oneoff', [i32, i32, i32, i32]),
  sig('proc_exit', [i32], false),
  sig('proc_raise', [i32]),
  sig('sched_yield', []),
  sig('random_get', [i32, i32]),
  sig('sock_accept', [i32, i32, i32]),
  sig('sock_recv', [i32, i32, i32, i32, i32, i32]),
  sig('sock_send', [i32, i32, i32, i32, i32]),
  sig('sock_shutdown', [i32, i32]),
];

const byName = new Map(WASI_SIGNATURES.map((s, id) => [s.name, id]));

/** The stable id of a WASI function, or undefined when the name is not preview1. */
export function wasiFunctionId(name: string): number | undefined {
  return byName.get(name);
}
