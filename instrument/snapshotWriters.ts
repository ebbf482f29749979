/**
 * Snapshot writers: defined functions appended to a `full` module, one per distinct list of
 * local types, each writing a `snapshot` event (detailEvents.ts) from its parameters
 *
 *   (time i64, pc i32, func i32, frameTime i64, local 0, local 1, ...) -> ()
 *
 * and then moving the next snapshot time `S` to `time + interval`. A loop that takes snapshots
 * (snapshotEmitter.ts) only tests whether the time has reached `S` and calls its function's writer, so the
 * event-writing code exists once per type list instead of once per loop (clang output: a dozen
 * writers for thousands of loops). The event goes through the same buffer steps as every other
 * event (`DetailEmitter`: reserve, header with a time sync when needed, commit).
 */
import { ByteWriter } from './byteWriter.js';
import { DetailEmitter, type DetailSlots } from './detailEmitter.js';
import { ValType } from './eventWriter.js';
import { EventKind, HEADER_SIZE, SNAPSHOT_FIXED_SIZE, valueSize } from './detailEvents.js';
import { GLOBAL_SET, I64_ADD, I64_CONST, LOCAL_GET } from './emitOps.js';

/** The module-wide slots of the event machinery (fullModule.ts). */
export type ModuleEventSlots = Omit<DetailSlots, 'funcIndex' | 'local' | 'scratch' | 'params' | 'results' | 'snapshots'>;

const TIME = 0;
const PC = 1;
const FUNC = 2;
const FRAME_TIME = 3;
const FIRST_LOCAL = 4;


/** Allocates writers by local types and builds their types and bodies. */
export class SnapshotWriters {
  private readonly byKey = new Map<string, number>();
  private readonly lists: (readonly Uint8Array[])[] = [];

  /**
   * @param firstFunc function index of the first writer (they are appended in allocation order)
   * @param firstType type index of the first writer's type (likewise)
   */
  constructor(private readonly firstFunc: number, readonly firstType: number) {}

  /** Number of writers allocated. */
  get count(): number {
    return this.lists.length;
  }

  /** Function index of the writer for locals of these types (allocated on first use). */
  writerFor(localTypes: readonly Uint8Array[]): number {
    const key = localTypes.map((t) => Array.from(t).join(',')).join(';');
    let k = this.byKey.get(key);
    if (k === undefined) {
      k = this.lists.length;
      this.byKey.set(key, k);
      this.lists.push(localTypes);
    }
    return this.firstFunc + k;
  }

  /** The writers' function types in order, as type-section entries. */
  typeEntries(): Uint8Array[] {
    return this.lists.map((types) => {
      const w = new ByteWriter().u8(0x60).u32(FIRST_LOCAL + types.length);
      w.u8(ValType.i64).u8(ValType.i32).u8(ValType.i32).u8(ValType.i64);
      for (const t of types) w.bytes(t);
      return w.u32(0).toBytes();
    });
  }

  /** The writers' bodies in order, as code-section entries (without their size). */
  bodies(wasm: Uint8Array, slots: ModuleEventSlots, nextGlobal: number, interval: bigint): Uint8Array[] {
    return this.lists.map((types) => writerBody(wasm, slots, types, nextGlobal, interval));
  }
}

function writerBody(wasm: Uint8Array, slots: ModuleEventSlots, types: readonly Uint8Array[], nextGlobal: number, interval: bigint): Uint8Array {
  const p = FIRST_LOCAL + types.length;
  const w = new ByteWriter();
  w.u32(1).u32(1).u8(ValType.i32); // the event's address `p`
  const none = -1;
  const emitter = new DetailEmitter(wasm, {
    ...slots, funcIndex: none, local: none, params: [], results: [],
    scratch: { p, n: none, a: none, b: none, x: none, i64: none, f32: none, f64: none, v128: none, results: [], entry: none, depth: none, snapshotLimit: none },
  }, w);
  const size = types.reduce((n, t) => n + 1 + valueSize(t[0]), 0);
  const total = SNAPSHOT_FIXED_SIZE + size;
  emitter.startEvent(total, EventKind.snapshot, { local: PC }, { local: TIME });
  emitter.storeValue(FUNC, ValType.i32, HEADER_SIZE);
  emitter.storeValue(FRAME_TIME, ValType.i64, HEADER_SIZE + 4);
  const fixed = new Uint8Array(4 + types.length);
  new DataView(fixed.buffer).setUint32(0, size, true);
  types.forEach((t, i) => (fixed[4 + i] = t[0]));
  emitter.constBytes(HEADER_SIZE + 12, fixed, size - types.length);
  let at = SNAPSHOT_FIXED_SIZE + types.length;
  types.forEach((t, i) => {
    emitter.storeValue(FIRST_LOCAL + i, t[0], at);
    at += valueSize(t[0]);
  });
  emitter.commit(total);
  // S = time + interval
  w.u8(LOCAL_GET).u32(TIME).u8(I64_CONST).s64(interval).u8(I64_ADD).u8(GLOBAL_SET).u32(nextGlobal);
  w.u8(0x0b);
  return w.toBytes();
}
