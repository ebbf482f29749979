/**
 * Which loops of a function get locals snapshots (detail mode `full`), and the option that sets
 * how often. A snapshot is taken at the start of a loop body (docs/instrumentation.md,
 * "Snapshots") only where the operand stack is empty there (`snapshotStackHeight.ts`), so that
 * the locals are the activation's whole state besides memory and globals.
 *
 * A function gets none when it declares a non-nullable reference local (reading one that was
 * not set yet would be invalid), when it has more than `MAX_SNAPSHOT_LOCALS` locals (996: its
 * writer would exceed the 1,000 parameters a function may have), or when the height analysis met
 * an inconsistency.
 */
import { ByteReader } from '../src/wasm/byteReader.js';
import type { FunctionPositions } from './positions.js';
import { emptyStackLoops, type FunctionSignatures } from './snapshotStackHeight.js';

/** The option of `instrument()` that controls snapshots (detail `full` only). */
export interface SnapshotOptions {
  /**
   * Detail `full`: executed instructions between locals snapshots. A snapshot is taken at the
   * start of a loop body once the time has reached the next snapshot time, which then moves to
   * that time plus this interval (docs/instrumentation.md, "Snapshots"). `0` or absent: the
   * default, `DEFAULT_SNAPSHOT_INTERVAL` (2^16). `false`: no snapshots, and none of their code.
   * Otherwise a positive integer below 2^63. Ignored by `inputs`.
   */
  readonly snapshotInterval?: number | bigint | false;
}

/** Instructions between snapshots unless `snapshotInterval` says otherwise: 2^16 (a replay re-executes at most about this many instructions of an activation to rebuild its locals; the check at loop heads costs the same at any interval). */
export const DEFAULT_SNAPSHOT_INTERVAL = 1n << 16n;

/**
 * Functions with more locals than this get no snapshots: a snapshot writer takes every local
 * plus four more parameters, and a Wasm function may have at most 1,000 (the JS API's limit).
 */
export const MAX_SNAPSHOT_LOCALS = 996;

const NON_NULLABLE_REF = 0x64;

/** The interval an option asks for (null: no snapshots); throws `RangeError` for anything else. */
export function snapshotIntervalOf(option: SnapshotOptions['snapshotInterval']): bigint | null {
  if (option === false) return null;
  if (option === undefined || option === 0 || option === 0n) return DEFAULT_SNAPSHOT_INTERVAL;
  const n = typeof option === 'bigint' ? option : Number.isSafeInteger(option) ? BigInt(option) : -1n;
  if (n <= 0n || n >= 1n << 63n) throw new RangeError(`snapshotInterval must be a positive integer below 2^63, 0, or false; got ${String(option)}`);
  return n;
}

/** One function's snapshot sites. */
export interface FunctionSnapshots {
  /** Offsets of the `loop` instructions whose body start takes a snapshot. */
  readonly loops: ReadonlySet<number>;
  /** Every local's type (parameters, then declared locals), each as its value-type bytes. */
  readonly localTypes: readonly Uint8Array[];
}

/**
 * The snapshot sites of `fn` (whose parameter types are `params` and which returns
 * `resultCount` values), or `undefined` when it gets none.
 */
export function planSnapshots(
  wasm: Uint8Array,
  fn: FunctionPositions,
  params: readonly Uint8Array[],
  signatures: FunctionSignatures,
  resultCount: number,
): FunctionSnapshots | undefined {
  if (!fn.instructions.some((i) => i.name === 'loop')) return undefined;
  if (params.length + fn.body.localCount > MAX_SNAPSHOT_LOCALS) return undefined;
  const declared = declaredLocalTypes(wasm, fn);
  if (declared.some((t) => t[0] === NON_NULLABLE_REF)) return undefined;
  const loops = emptyStackLoops(wasm, fn.instructions, signatures, resultCount);
  if (loops.size === 0) return undefined;
  return { loops, localTypes: [...params, ...declared] };
}

/** The declared locals' types of `fn`'s body, one entry per local. */
function declaredLocalTypes(wasm: Uint8Array, fn: FunctionPositions): Uint8Array[] {
  const r = new ByteReader(wasm, fn.body.start, fn.body.codeStart);
  const out: Uint8Array[] = [];
  for (let g = 0, groups = r.u32(); g < groups; g++) {
    const n = r.u32();
    const start = r.offset;
    const b = r.u8();
    if (b === 0x63 || b === NON_NULLABLE_REF) r.s33();
    const type = wasm.slice(start, r.offset);
    for (let i = 0; i < n; i++) out.push(type);
  }
  return out;
}
