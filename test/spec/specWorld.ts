/**
 * One "world" of a spec script run: its `spectest` host module, its registered and named
 * instances, and exact descriptions of what each command did. The harness runs two worlds side
 * by side, one on the original modules and one on the instrumented ones, and compares the
 * descriptions; a world never looks at the other's instances.
 */
import { driverCanCarry, driverModule, RESULT_BASE } from './invokeDriver.js';
import type { WastAction, WastValue } from './wastJson.js';

/** Host values standing for wast2json's numbered `ref.extern N` (shared so both worlds see the same objects). */
const externRefs = new Map<string, object>();
export function externRef(n: string): object {
  let v = externRefs.get(n);
  if (!v) externRefs.set(n, (v = { externref: n }));
  return v;
}

const driverCache = new Map<string, WebAssembly.Module>();

export class SpecWorld {
  private readonly registry = new Map<string, WebAssembly.Exports>();
  private readonly named = new Map<string, WebAssembly.Instance>();
  private current: WebAssembly.Instance | undefined;
  /** Driver instances by signature key, then by target function. */
  private readonly drivers = new Map<string, WeakMap<Function, WebAssembly.Instance>>();

  /** `runtime`: extra host modules by name (the `wtrace` runtime imports of detail `full`). */
  constructor(runtime: WebAssembly.Imports = {}) {
    for (const [name, exports] of Object.entries(runtime)) this.registry.set(name, exports as WebAssembly.Exports);
    const f64 = (v: number) => new WebAssembly.Global({ value: 'f64', mutable: false }, v);
    const noop = () => {};
    this.registry.set('spectest', {
      print: noop, print_i32: noop, print_i64: noop, print_f32: noop, print_f64: noop,
      print_i32_f32: noop, print_f64_f64: noop,
      global_i32: new WebAssembly.Global({ value: 'i32', mutable: false }, 666),
      global_i64: new WebAssembly.Global({ value: 'i64', mutable: false }, 666n),
      global_f32: new WebAssembly.Global({ value: 'f32', mutable: false }, 666.6),
      global_f64: f64(666.6),
      table: new WebAssembly.Table({ initial: 10, maximum: 20, element: 'anyfunc' }),
      memory: new WebAssembly.Memory({ initial: 1, maximum: 2 }),
    } as unknown as WebAssembly.Exports);
  }

  /** Instantiates a module; returns a description of the failure, or `ok`. */
  instantiate(bytes: Uint8Array, name: string | undefined): string {
    try {
      const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
      const imports: Record<string, Record<string, unknown>> = {};
      for (const imp of WebAssembly.Module.imports(module)) {
        (imports[imp.module] ??= {})[imp.name] = this.registry.get(imp.module)?.[imp.name];
      }
      const instance = new WebAssembly.Instance(module, imports as WebAssembly.Imports);
      this.current = instance;
      if (name) this.named.set(name, instance);
      return 'ok';
    } catch (e) {
      // A module that fails to link or start does not become the current one (spec interpreter's rule).
      return describeError(e);
    }
  }

  register(as: string, name: string | undefined): void {
    const instance = name ? this.named.get(name) : this.current;
    if (instance) this.registry.set(as, instance.exports);
  }

  /** Performs an action; the result is `ok [values]` or the error's kind and message. */
  perform(action: WastAction, resultTypes: readonly string[]): string {
    const instance = action.module ? this.named.get(action.module) : this.current;
    if (!instance) return 'error: no instance';
    const target = instance.exports[action.field];
    try {
      if (action.type === 'get') return `ok ${describeJsValue((target as WebAssembly.Global).value)}`;
      const args = action.args ?? [];
      const paramTypes = args.map((a) => a.type);
      if (driverCanCarry(paramTypes) && driverCanCarry(resultTypes)) return this.viaDriver(target as Function, args, resultTypes);
      const result: unknown = (target as (...a: unknown[]) => unknown)(...args.map(toJs));
      const values = resultTypes.length === 1 ? [result] : resultTypes.length === 0 ? [] : (result as unknown[]);
      return `ok ${values.map(describeJsValue).join(' ')}`;
    } catch (e) {
      return describeError(e);
    }
  }

  private viaDriver(target: Function, args: readonly WastValue[], resultTypes: readonly string[]): string {
    const key = `${args.map((a) => a.type).join(',')}->${resultTypes.join(',')}`;
    let module = driverCache.get(key);
    if (!module) driverCache.set(key, (module = new WebAssembly.Module(driverModule(args.map((a) => a.type), resultTypes))));
    let byTarget = this.drivers.get(key);
    if (!byTarget) this.drivers.set(key, (byTarget = new WeakMap()));
    let driver = byTarget.get(target);
    if (!driver) {
      driver = new WebAssembly.Instance(module, { t: { f: target } } as unknown as WebAssembly.Imports);
      byTarget.set(target, driver);
    }
    const memory = driver.exports.mem as WebAssembly.Memory;
    const bytes = new Uint8Array(memory.buffer);
    args.forEach((a, i) => bytes.set(encodeValue(a), i * 16));
    bytes.fill(0xee, RESULT_BASE, RESULT_BASE + 16 * resultTypes.length);
    (driver.exports.run as () => void)();
    const out = resultTypes.map((t, j) => `${t}:${hex(bytes.subarray(RESULT_BASE + j * 16, RESULT_BASE + j * 16 + 16))}`);
    return `ok ${out.join(' ')}`;
  }
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** A wast2json argument as 16 little-endian bytes (numbers and v128 only). */
function encodeValue(v: WastValue): Uint8Array {
  const buf = new Uint8Array(16);
  const view = new DataView(buf.buffer);
  const s = v.value as string;
  switch (v.type) {
    case 'i32':
    case 'f32':
      view.setUint32(0, Number(BigInt.asUintN(32, BigInt(s))), true);
      break;
    case 'i64':
    case 'f64':
      view.setBigUint64(0, BigInt.asUintN(64, BigInt(s)), true);
      break;
    case 'v128': {
      const bits = { i8: 8, i16: 16, i32: 32, f32: 32, i64: 64, f64: 64 }[v.lane_type ?? ''] ?? 0;
      (v.value as string[]).forEach((lane, i) => {
        let x = BigInt.asUintN(bits, BigInt(lane));
        for (let k = 0; k < bits / 8; k++, x >>= 8n) buf[(i * bits) / 8 + k] = Number(x & 0xffn);
      });
      break;
    }
    default:
      throw new Error(`cannot encode ${v.type}`);
  }
  return buf;
}

/** Converts an argument for a direct JS call (used when references are involved). */
function toJs(v: WastValue): unknown {
  const s = v.value as string;
  switch (v.type) {
    case 'i32': return Number(BigInt.asIntN(32, BigInt(s)));
    case 'i64': return BigInt.asIntN(64, BigInt(s));
    case 'f32': return new DataView(encodeValue(v).buffer).getFloat32(0, true);
    case 'f64': return new DataView(encodeValue(v).buffer).getFloat64(0, true);
    case 'externref': return s === 'null' ? null : externRef(s);
    case 'funcref': return null;
    default: throw new Error(`cannot pass ${v.type} through JS`);
  }
}

function describeJsValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return `i64:${BigInt.asUintN(64, v).toString(16)}`;
  if (typeof v === 'number') {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v);
    return `num:${view.getBigUint64(0).toString(16)}`;
  }
  if (typeof v === 'function') return 'funcref';
  if (typeof v === 'object' && 'externref' in v) return `externref:${String((v as { externref: string }).externref)}`;
  return typeof v;
}

/** The kind and message of an error: traps are `RuntimeError: <V8's trap message>`. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}: ${e.message}`;
  return `thrown: ${String(e)}`;
}
