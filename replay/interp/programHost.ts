/**
 * `ProgramHost`: a whole-program host for the activation interpreter. It is one instance of a
 * module: it owns (or imports) memory, globals and tables, initializes them from the module's
 * segments, and runs callees by interpreting them depth first: its own functions inline in the
 * interpreter's loop (`interpretedCallee`), other instances' through `call` and their `run`.
 * Imports are resolved to other instances' exports or answered by a callback. For tests and for
 * users who interpret a program without detail events; the replay engine has its own host.
 *
 * Time: the store's clock counts every instruction of every instance, by the rules of
 * docs/instrumentation.md ("Time"); `invoke` starts at `store.time` and advances it.
 */
import { ExitCode, WtraceError } from '../../src/errors.js';
import { evalConstExpr, type ConstContext, type ConstExpr } from './constExpr.js';
import { TrapError } from './errors.js';
import { newMemory, newTable, Store, type ExternInstance, type FuncInstance, type GlobalInstance, type MemoryInstance, type TableInstance } from './instances.js';
import type { ModuleCode } from './moduleCode.js';
import type { ImportDecl } from './moduleDecoder.js';
import { run } from './run.js';
import type { ActivationHost, CallOutcome, CallTarget, InlineCallHost, RefValue, TableHost, Value } from './types.js';
import { FUNCREF, sameFuncType } from './valueTypes.js';

/** One call of an imported function answered by `ProgramHostOptions.callImport`. */
export interface ImportCall {
  readonly funcIndex: number;
  readonly module: string;
  readonly name: string;
  readonly args: readonly Value[];
  /** Time of the calling instruction (counted). */
  readonly time: bigint;
  readonly host: ProgramHost;
}

export interface ProgramHostOptions {
  /** The store shared with other instances (default: a new one). */
  readonly store?: Store;
  /** Resolves an import to another instance's export (or a host object); undefined if none. */
  readonly resolve?: (imp: ImportDecl) => ExternInstance | undefined;
  /** Answers calls of imported functions that `resolve` leaves unresolved: the results, in declared order. */
  readonly callImport?: (call: ImportCall) => readonly Value[];
  /**
   * Let the interpreter run this instance's own callees inline (`InlineCallHost`; default true).
   * False sends every call through `call` and a fresh `run` of the callee: slower, same results
   * and times (tests compare the two).
   */
  readonly inlineCalls?: boolean;
}

/** An import cannot be satisfied (missing, or of another kind or type). Exit code: bad input. */
export class LinkError extends WtraceError {
  constructor(message: string) {
    super('link', message, ExitCode.badInput);
  }
}

const MAX_TABLE = 10_000_000;

export class ProgramHost implements ActivationHost, TableHost, InlineCallHost {
  readonly store: Store;
  /** Every function of the index space, imports first. */
  readonly funcs: FuncInstance[] = [];
  readonly tables: TableInstance[] = [];
  readonly globals: GlobalInstance[] = [];
  readonly memoryInstance: MemoryInstance | null = null;
  /** Element segment items; null once dropped. */
  private readonly elemItems: (Value[] | null)[] = [];
  private readonly inlineCalls: boolean;

  /** Links `code` (resolving every import) and creates its functions, tables, memory and globals. Run `instantiate()` next. */
  constructor(readonly code: ModuleCode, options: ProgramHostOptions = {}) {
    this.store = options.store ?? new Store();
    this.inlineCalls = options.inlineCalls ?? true;
    const m = code.module;
    for (const imp of m.imports) this.link(imp, options);
    for (let i = m.importedFunctionCount; i < code.functionCount; i++) {
      const type = code.functionType(i);
      this.funcs.push(this.store.addFunction((id) => ({ kind: 'func', type, id, owner: this, funcIndex: i, invoke: (time, args) => this.runFunction(i, args, time) })));
    }
    for (const t of m.tables.slice(this.tables.length)) this.tables.push(newTable(t.refType, t.limits.min, t.limits.max));
    if (m.memory && !m.memoryImported) this.memoryInstance = newMemory(m.memory.min, m.memory.max);
    for (const g of m.globals.slice(this.globals.length)) {
      this.globals.push({ kind: 'global', type: g.type, mutable: g.mutable, value: this.evaluate(g.init!) });
    }
  }

  private link(imp: ImportDecl, options: ProgramHostOptions): void {
    const found = options.resolve?.(imp);
    const where = `import ${imp.module}.${imp.name}`;
    if (found && found.kind !== imp.kind) throw new LinkError(`${where}: expected a ${imp.kind}, got a ${found.kind}`);
    switch (imp.kind) {
      case 'func': {
        const type = this.code.module.types[imp.typeIndex];
        if (found) {
          if (!sameFuncType((found as FuncInstance).type, type)) throw new LinkError(`${where}: function type mismatch`);
          this.funcs.push(found as FuncInstance);
        } else if (options.callImport) {
          const call = options.callImport;
          const funcIndex = imp.index;
          this.funcs.push(this.store.hostFunction(type, (args, time) => call({ funcIndex, module: imp.module, name: imp.name, args, time, host: this })));
        } else throw new LinkError(`${where}: not provided`);
        return;
      }
      case 'memory':
        if (!found) throw new LinkError(`${where}: not provided`);
        (this as { memoryInstance: MemoryInstance }).memoryInstance = found as MemoryInstance;
        return;
      case 'table':
        if (!found) throw new LinkError(`${where}: not provided`);
        this.tables.push(found as TableInstance);
        return;
      case 'global':
        if (!found) throw new LinkError(`${where}: not provided`);
        this.globals.push(found as GlobalInstance);
        return;
      default:
        throw new LinkError(`${where}: tags are not supported`);
    }
  }

  private get constContext(): ConstContext {
    return { global: (i) => this.globals[i].value, funcRef: (i) => this.ref(i) };
  }

  private evaluate(expr: ConstExpr): Value {
    return evalConstExpr(expr, this.constContext);
  }

  private ref(funcIndex: number): RefValue {
    return { type: 'ref', refType: FUNCREF, isNull: false, ref: this.funcs[funcIndex].id };
  }

  /**
   * Initializes tables and memory from the active segments, in order (a segment out of bounds
   * traps, leaving what the earlier ones wrote), drops active and declarative segments, and
   * runs the start function. Throws `TrapError` as instantiation does.
   */
  instantiate(): void {
    const m = this.code.module;
    m.elements.forEach((seg, i) => {
      const items = seg.items.map((e) => this.evaluate(e));
      this.elemItems[i] = seg.mode === 'passive' ? items : null;
      if (seg.mode !== 'active') return;
      const at = (this.evaluate(seg.offset!) as { value: number }).value >>> 0;
      const table = this.tables[seg.table];
      if (at + items.length > table.elements.length) throw new TrapError('out of bounds table access');
      items.forEach((v, k) => (table.elements[at + k] = v));
    });
    m.data.forEach((seg, i) => {
      if (seg.mode !== 'active') return;
      const at = (this.evaluate(seg.offset!) as { value: number }).value >>> 0;
      const mem = this.memoryBytes;
      if (at + seg.bytes.length > mem.length) throw new TrapError('out of bounds memory access');
      mem.set(seg.bytes, at);
      this.code.droppedData[i] = 1;
    });
    if (m.start !== null) this.invoke(m.start, []);
  }

  /**
   * Calls function `func` (an index, or an export's name) at the store's time and advances the
   * time to where it returned. On a trap the time becomes the trap's (the trapping instruction
   * not counted); a JS stack overflow becomes `TrapError('call stack exhausted')`.
   */
  invoke(func: number | string, args: readonly Value[]): readonly Value[] {
    const index = typeof func === 'number' ? func : this.code.exportedFunction(func);
    if (index === undefined) throw new LinkError(`no exported function ${String(func)}`);
    try {
      const out = this.funcs[index].invoke(this.store.time, args);
      this.store.time = out.time;
      return out.results;
    } catch (e) {
      if (e instanceof TrapError && e.location) this.store.time = e.location.time;
      if (e instanceof RangeError && /call stack/i.test(e.message)) throw new TrapError('call stack exhausted');
      throw e;
    }
  }

  private runFunction(funcIndex: number, args: readonly Value[], time: bigint): CallOutcome {
    const state = this.code.entryState(funcIndex, args, time);
    const stop = run(this.code, state, this);
    if (stop.kind !== 'return') throw new Error(`internal: function ${funcIndex} stopped with ${stop.kind}`);
    return { results: stop.results, time: state.time };
  }

  /** The instance's exports by name. */
  exports(): Map<string, ExternInstance> {
    const out = new Map<string, ExternInstance>();
    for (const e of this.code.module.exports) {
      const x = e.kind === 'func' ? this.funcs[e.index] : e.kind === 'table' ? this.tables[e.index] : e.kind === 'global' ? this.globals[e.index] : this.memoryInstance;
      if (x) out.set(e.name, x);
    }
    return out;
  }

  /** Memory 0's bytes now (replaced when it grows). */
  get memoryBytes(): Uint8Array {
    if (!this.memoryInstance) throw new LinkError('the module has no memory');
    return this.memoryInstance.bytes;
  }

  // ActivationHost

  memory(): Uint8Array {
    return this.memoryBytes;
  }

  grow(_time: bigint, pages: number): number {
    const mem = this.memoryInstance!;
    const old = mem.bytes.length / 65536;
    if (old + pages > (mem.max ?? 65536)) return -1;
    if (pages === 0) return old;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array((old + pages) * 65536);
    } catch {
      return -1;
    }
    bytes.set(mem.bytes);
    mem.bytes = bytes;
    return old;
  }

  globalGet(_time: bigint, index: number): Value {
    return this.globals[index].value;
  }

  globalSet(_time: bigint, index: number, value: Value): void {
    this.globals[index].value = value;
  }

  call(time: bigint, target: CallTarget, args: readonly Value[]): CallOutcome {
    return this.callee(target).invoke(time, args);
  }

  /** What a call goes to; traps as `call_indirect` does. */
  private callee(target: CallTarget): FuncInstance {
    if (target.kind === 'direct') return this.funcs[target.funcIndex];
    const elements = this.tables[target.tableIndex].elements;
    if (target.elementIndex >= elements.length) throw new TrapError('undefined element');
    const e = elements[target.elementIndex] as RefValue;
    if (e.isNull) throw new TrapError('uninitialized element');
    const f = this.store.func(e.ref ?? 0);
    if (!sameFuncType(f.type, this.code.module.types[target.typeIndex])) throw new TrapError('indirect call type mismatch');
    return f;
  }

  /** Own defined functions run inline in the interpreter (they would be interpreted here anyway). */
  interpretedCallee(target: CallTarget): number {
    if (!this.inlineCalls) return -1;
    if (target.kind === 'direct') return target.funcIndex >= this.code.importedFunctionCount ? target.funcIndex : -1;
    const f = this.callee(target);
    return f.owner === this ? f.funcIndex! : -1;
  }

  // TableHost

  funcRef(funcIndex: number): number {
    return this.funcs[funcIndex].id;
  }

  private tableRange(table: number, start: number, count: number): Value[] {
    const elements = this.tables[table].elements;
    if (start + count > elements.length) throw new TrapError('out of bounds table access');
    return elements;
  }

  tableGet(_time: bigint, table: number, index: number): Value {
    return this.tableRange(table, index, 1)[index];
  }

  tableSet(_time: bigint, table: number, index: number, value: Value): void {
    this.tableRange(table, index, 1)[index] = value;
  }

  tableSize(_time: bigint, table: number): number {
    return this.tables[table].elements.length;
  }

  tableGrow(_time: bigint, table: number, init: Value, delta: number): number {
    const t = this.tables[table];
    const old = t.elements.length;
    if (old + delta > Math.min(t.max ?? MAX_TABLE, MAX_TABLE)) return -1;
    for (let k = 0; k < delta; k++) t.elements.push(init);
    return old;
  }

  tableFill(_time: bigint, table: number, index: number, value: Value, count: number): void {
    this.tableRange(table, index, count).fill(value, index, index + count);
  }

  tableCopy(_time: bigint, destTable: number, sourceTable: number, dest: number, source: number, count: number): void {
    const from = this.tableRange(sourceTable, source, count).slice(source, source + count);
    const to = this.tableRange(destTable, dest, count);
    from.forEach((v, k) => (to[dest + k] = v));
  }

  tableInit(_time: bigint, table: number, element: number, dest: number, source: number, count: number): void {
    const items = this.elemItems[element] ?? [];
    if (source + count > items.length) throw new TrapError('out of bounds table access');
    const to = this.tableRange(table, dest, count);
    for (let k = 0; k < count; k++) to[dest + k] = items[source + k];
  }

  elemDrop(_time: bigint, element: number): void {
    this.elemItems[element] = null;
  }
}
