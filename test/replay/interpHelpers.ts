/**
 * Helpers for the activation interpreter's tests (replay/interp/):
 * - wast2json values: arguments as interpreter `Value`s and expected results compared bit for
 *   bit, NaN patterns as the spec harness treats them;
 * - `InterpWorld`: a spec script's instances on `ProgramHost` (shared store, `spectest`,
 *   registered modules);
 * - `CountingWorld`: the same script's instances on V8 with the `inputs` instruction counter
 *   (`__wtrace_time`), whose summed counters are the reference for the interpreter's times;
 * - `interpretFunction`: runs one function of a module to its end on `ProgramHost`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { instrument } from '../../instrument/index.js';
import {
  FUNCREF, ModuleCode, newMemory, newTable, ProgramHost, Store, TrapError, type ExternInstance, type ProgramHostOptions, type FuncInstance, type RefValue, type Value,
} from '../../replay/interp/index.js';
import { driverCanCarry, driverModule, RESULT_BASE } from '../spec/invokeDriver.js';
import type { WastAction, WastScript, WastValue } from '../spec/wastJson.js';

export const root = path.resolve(import.meta.dirname, '../..');
export const suiteDir = process.env.WTRACE_SPEC_SUITE ?? path.resolve(root, '../shared/wasm-spec-testsuite');

/** Converts a .wast script with wast2json into `dir`; returns the command list. */
export function convertWast(file: string, dir: string): WastScript {
  const json = path.join(dir, path.basename(file, '.wast') + '.json');
  execFileSync('wast2json', [path.join(suiteDir, file), '-o', json], { stdio: 'pipe' });
  return JSON.parse(fs.readFileSync(json, 'utf8')) as WastScript;
}

/** A wast2json argument as an interpreter value (externref N: id N). */
export function wastArg(v: WastValue): Value {
  const s = v.value as string;
  switch (v.type) {
    case 'i32': return { type: 'i32', value: Number(BigInt.asIntN(32, BigInt(s))) };
    case 'i64': return { type: 'i64', value: BigInt.asIntN(64, BigInt(s)) };
    case 'f32': return { type: 'f32', bits: Number(BigInt.asUintN(32, BigInt(s))) };
    case 'f64': return { type: 'f64', bits: BigInt.asUintN(64, BigInt(s)) };
    case 'externref': return s === 'null' ? { type: 'ref', refType: 0x6f, isNull: true } : ({ type: 'ref', refType: 0x6f, isNull: false, ref: Number(s) } as RefValue);
    case 'funcref': return { type: 'ref', refType: FUNCREF, isNull: true };
    default: throw new Error(`cannot pass a ${v.type}`);
  }
}

/** A value in a stable text form (for messages). */
export function showValue(v: Value): string {
  switch (v.type) {
    case 'i32': return `i32:${v.value >>> 0}`;
    case 'i64': return `i64:${BigInt.asUintN(64, v.value)}`;
    case 'f32': return `f32:0x${v.bits.toString(16)}`;
    case 'f64': return `f64:0x${v.bits.toString(16)}`;
    case 'ref': return v.isNull ? `ref.null:${v.refType.toString(16)}` : `ref:${v.refType.toString(16)}:${(v as RefValue).ref}`;
    default: return v.type;
  }
}

/** True when `actual` is what wast2json's `expected` asks for (NaN patterns included). */
export function matches(actual: Value, expected: WastValue): boolean {
  const s = expected.value as string | undefined;
  switch (expected.type) {
    case 'i32': return actual.type === 'i32' && BigInt(actual.value >>> 0) === BigInt(s!);
    case 'i64': return actual.type === 'i64' && BigInt.asUintN(64, actual.value) === BigInt(s!);
    case 'f32':
      if (actual.type !== 'f32') return false;
      if (s === 'nan:canonical') return (actual.bits & 0x7fffffff) === 0x7fc00000;
      if (s === 'nan:arithmetic') return (actual.bits & 0x7fc00000) === 0x7fc00000;
      return actual.bits === Number(s);
    case 'f64':
      if (actual.type !== 'f64') return false;
      if (s === 'nan:canonical') return (actual.bits & 0x7fffffffffffffffn) === 0x7ff8000000000000n;
      if (s === 'nan:arithmetic') return (actual.bits & 0x7ff8000000000000n) === 0x7ff8000000000000n;
      return actual.bits === BigInt(s!);
    case 'funcref':
    case 'externref': {
      if (actual.type !== 'ref' || actual.refType !== (expected.type === 'funcref' ? 0x70 : 0x6f)) return false;
      if (s === 'null') return actual.isNull;
      if (s === undefined) return !actual.isNull;
      return !actual.isNull && (actual as RefValue).ref === Number(s);
    }
    default: return false;
  }
}

/** True when a trap of `kind` is what `assert_trap` text `text` expects (the spec harness matches prefixes). */
export function trapMatches(kind: string, text: string): boolean {
  return text.startsWith(kind) || kind.startsWith(text) || (kind === 'unreachable' && text.startsWith('unreachable'));
}

/** What performing an action gave. */
export type Outcome = { readonly ok: readonly Value[] } | { readonly trap: TrapError } | { readonly error: unknown };

/** A spec script's instances on `ProgramHost`. */
export class InterpWorld {
  readonly store = new Store();
  private readonly registry = new Map<string, Map<string, ExternInstance>>();
  private readonly named = new Map<string, ProgramHost>();
  current: ProgramHost | undefined;

  constructor() {
    const f = (params: number[]) => this.store.hostFunction({ params, results: [] }, () => []);
    const global = (type: number, value: Value): ExternInstance => ({ kind: 'global', type, mutable: false, value });
    this.registry.set('spectest', new Map<string, ExternInstance>([
      ['print', f([])], ['print_i32', f([0x7f])], ['print_i64', f([0x7e])], ['print_f32', f([0x7d])], ['print_f64', f([0x7c])],
      ['print_i32_f32', f([0x7f, 0x7d])], ['print_f64_f64', f([0x7c, 0x7c])],
      ['global_i32', global(0x7f, { type: 'i32', value: 666 })],
      ['global_i64', global(0x7e, { type: 'i64', value: 666n })],
      ['global_f32', global(0x7d, { type: 'f32', bits: f32Bits(666.6) })],
      ['global_f64', global(0x7c, { type: 'f64', bits: f64Bits(666.6) })],
      ['table', newTable(FUNCREF, 10, 20)],
      ['memory', newMemory(1, 2)],
    ]));
  }

  /** Links and instantiates; a failure leaves `current` unchanged (the spec interpreter's rule). */
  instantiate(bytes: Uint8Array, name: string | undefined): { ok: true } | { ok: false; error: unknown } {
    try {
      const host = new ProgramHost(ModuleCode.from(bytes), { store: this.store, resolve: (imp) => this.registry.get(imp.module)?.get(imp.name) });
      host.instantiate();
      this.current = host;
      if (name) this.named.set(name, host);
      return { ok: true };
    } catch (error) {
      return { ok: false, error };
    }
  }

  register(as: string, name: string | undefined): void {
    const host = name ? this.named.get(name) : this.current;
    if (host) this.registry.set(as, host.exports());
  }

  hostFor(action: WastAction): ProgramHost | undefined {
    return action.module ? this.named.get(action.module) : this.current;
  }

  perform(action: WastAction): Outcome {
    const host = this.hostFor(action);
    if (!host) return { error: new Error('no instance') };
    try {
      if (action.type === 'get') {
        const g = host.exports().get(action.field);
        return g?.kind === 'global' ? { ok: [g.value] } : { error: new Error(`no global ${action.field}`) };
      }
      return { ok: host.invoke(action.field, (action.args ?? []).map(wastArg)) };
    } catch (e) {
      return e instanceof TrapError ? { trap: e } : { error: e };
    }
  }
}

function f32Bits(x: number): number {
  const v = new DataView(new ArrayBuffer(4));
  v.setFloat32(0, x, true);
  return v.getUint32(0, true);
}

function f64Bits(x: number): bigint {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x, true);
  return v.getBigUint64(0, true);
}

/**
 * The same script on V8 with every module instrumented (`inputs`): `time()` is the sum of every
 * instance's `__wtrace_time`, the reference for the interpreter's counts. Arguments reach the
 * function bit for bit through the spec harness's driver module (which is not instrumented).
 */
export class CountingWorld {
  private readonly registry = new Map<string, WebAssembly.Exports>();
  private readonly named = new Map<string, WebAssembly.Instance>();
  private readonly counters: WebAssembly.Global[] = [];
  private current: WebAssembly.Instance | undefined;
  private readonly externs = new Map<string, object>();

  constructor() {
    const noop = () => {};
    this.registry.set('spectest', {
      print: noop, print_i32: noop, print_i64: noop, print_f32: noop, print_f64: noop, print_i32_f32: noop, print_f64_f64: noop,
      global_i32: new WebAssembly.Global({ value: 'i32', mutable: false }, 666),
      global_i64: new WebAssembly.Global({ value: 'i64', mutable: false }, 666n),
      global_f32: new WebAssembly.Global({ value: 'f32', mutable: false }, 666.6),
      global_f64: new WebAssembly.Global({ value: 'f64', mutable: false }, 666.6),
      table: new WebAssembly.Table({ initial: 10, maximum: 20, element: 'anyfunc' }),
      memory: new WebAssembly.Memory({ initial: 1, maximum: 2 }),
    } as unknown as WebAssembly.Exports);
  }

  /** Instructions counted so far by every instance. */
  time(): bigint {
    return this.counters.reduce((sum, g) => sum + (g.value as bigint), 0n);
  }

  async instantiate(bytes: Uint8Array, name: string | undefined): Promise<boolean> {
    const instrumented = await instrument(bytes, { detail: 'inputs' });
    const module = new WebAssembly.Module(instrumented.bytes as Uint8Array<ArrayBuffer>);
    const imports: Record<string, Record<string, unknown>> = {};
    for (const imp of WebAssembly.Module.imports(module)) (imports[imp.module] ??= {})[imp.name] = this.registry.get(imp.module)?.[imp.name];
    // The counter global exists before the start function runs: count from a fresh instance's 0.
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(module, imports as WebAssembly.Imports);
    } catch {
      return false;
    }
    this.counters.push(instance.exports[instrumented.timeExport] as WebAssembly.Global);
    this.current = instance;
    if (name) this.named.set(name, instance);
    return true;
  }

  register(as: string, name: string | undefined): void {
    const instance = name ? this.named.get(name) : this.current;
    if (instance) this.registry.set(as, instance.exports);
  }

  /** Calls the action's function (results discarded); true if it returned, false if it threw. */
  invoke(action: WastAction, resultTypes: readonly string[]): boolean {
    const instance = action.module ? this.named.get(action.module) : this.current;
    const target = instance?.exports[action.field] as Function;
    const args = action.args ?? [];
    try {
      if (driverCanCarry(args.map((a) => a.type)) && driverCanCarry(resultTypes)) {
        const driver = new WebAssembly.Instance(new WebAssembly.Module(driverModule(args.map((a) => a.type), resultTypes) as Uint8Array<ArrayBuffer>), { t: { f: target } } as unknown as WebAssembly.Imports);
        const bytes = new Uint8Array((driver.exports.mem as WebAssembly.Memory).buffer);
        args.forEach((a, i) => bytes.set(encode(a), i * 16));
        bytes.fill(0, RESULT_BASE, RESULT_BASE + 16 * resultTypes.length);
        (driver.exports.run as () => void)();
      } else {
        target(...args.map((a) => this.toJs(a)));
      }
      return true;
    } catch {
      return false;
    }
  }

  private toJs(v: WastValue): unknown {
    const s = v.value as string;
    if (v.type === 'externref') {
      if (s === 'null') return null;
      let o = this.externs.get(s);
      if (!o) this.externs.set(s, (o = { externref: s }));
      return o;
    }
    if (v.type === 'funcref') return null;
    const x = wastArg(v);
    if (x.type === 'i32' || x.type === 'i64') return x.value;
    return new DataView(encode(v).buffer).getFloat64(0, true);
  }
}

/** A numeric wast2json value as 16 little-endian bytes. */
function encode(v: WastValue): Uint8Array {
  const buf = new Uint8Array(16);
  const view = new DataView(buf.buffer);
  const s = v.value as string;
  if (v.type === 'i32' || v.type === 'f32') view.setUint32(0, Number(BigInt.asUintN(32, BigInt(s))), true);
  else view.setBigUint64(0, BigInt.asUintN(64, BigInt(s)), true);
  return buf;
}

/** Assembles WebAssembly text with wat2wasm (flags: e.g. `--enable-tail-call`). */
export function assembleWat(wat: string, flags: string[] = []): Uint8Array {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wtrace-interp-'));
  try {
    fs.writeFileSync(path.join(dir, 'm.wat'), wat);
    execFileSync('wat2wasm', [...flags, path.join(dir, 'm.wat'), '-o', path.join(dir, 'm.wasm')]);
    return fs.readFileSync(path.join(dir, 'm.wasm'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Instantiates `bytes` on a `ProgramHost` (imports: none, or `callImport`). */
export function programHost(bytes: Uint8Array, callImport?: ProgramHostOptions['callImport'], inlineCalls = true): ProgramHost {
  const host = new ProgramHost(ModuleCode.from(bytes), { callImport, inlineCalls });
  host.instantiate();
  return host;
}

/** The export's index; throws if there is none. */
export function exportIndex(host: ProgramHost, name: string): number {
  const f = host.exports().get(name) as FuncInstance | undefined;
  if (!f || f.kind !== 'func' || f.funcIndex === undefined) throw new Error(`no exported function ${name}`);
  return f.funcIndex;
}

export const i32 = (value: number): Value => ({ type: 'i32', value });
