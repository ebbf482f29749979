/**
 * Decides, before anything runs, whether wtrace can record a module: it must be valid Wasm,
 * import only `wasi_snapshot_preview1` functions with their specified signatures (or be allowed
 * to stub unknown imports), have exactly one 32-bit unshared memory exported as `memory`, and
 * export its entry point. Every problem is collected, so the user sees them all at once.
 */
import { InputError, UnsupportedWasmError } from '../errors.js';
import { readModuleInfo, WasmDecodeError, type ModuleInfo } from '../wasm/moduleInfo.js';
import { WASI_MODULE, WASI_SIGNATURES, wasiFunctionId } from '../wasi/signatures.js';
import type { ImportInfo, ParamType } from '../trace/index.js';

export interface CheckedModule {
  readonly info: ModuleInfo;
  readonly module: WebAssembly.Module;
  /** Function imports with their index and whether the recorder stubs them. */
  readonly imports: readonly ImportInfo[];
}

export interface CheckOptions {
  /** Export to call after `_initialize` (reactor); null runs the command's `_start`. */
  readonly invoke: string | null;
  readonly allowUnknownImports: boolean;
}

/** Throws `InputError` (invalid module) or `UnsupportedWasmError` (every problem found). */
export function checkModule(file: string, bytes: Uint8Array, options: CheckOptions): CheckedModule {
  let info: ModuleInfo;
  try {
    info = readModuleInfo(bytes);
  } catch (e) {
    if (e instanceof WasmDecodeError) {
      throw new InputError('invalid-wasm', `${file}: not a valid WebAssembly module: ${e.message} at byte ${e.offset}`);
    }
    throw e;
  }
  const problems: string[] = [];
  const imports: ImportInfo[] = [];
  let functionIndex = 0;
  for (const imp of info.imports) {
    const where = `import ${imp.module}.${imp.name}`;
    if (imp.desc.kind !== 'func') {
      if (imp.desc.kind !== 'memory') problems.push(`${where}: imported ${imp.desc.kind}s are not supported`);
      continue;
    }
    const type = imp.desc.type;
    const params = (type?.params ?? []) as ParamType[];
    const index = functionIndex++;
    const id = imp.module === WASI_MODULE ? wasiFunctionId(imp.name) : undefined;
    let stubbed = false;
    if (id === undefined) {
      if (options.allowUnknownImports) stubbed = true;
      else {
        problems.push(
          `${where} is not a WASI preview1 function (only ${WASI_MODULE} is provided; ` +
            `--allow-unknown-imports stubs it with a trapping function)`,
        );
      }
    } else {
      const expected = WASI_SIGNATURES[id];
      const want = `(${expected.params.join(', ')}) -> ${expected.returnsErrno ? 'i32' : 'nothing'}`;
      const got = `(${(type?.params ?? []).join(', ')}) -> ${type?.results.join(', ') || 'nothing'}`;
      if (want !== got) problems.push(`${where} has type ${got}, but WASI preview1 specifies ${want}`);
    }
    if (params.some((p) => !['i32', 'i64', 'f32', 'f64'].includes(p))) {
      problems.push(`${where}: parameters of type ${params.join(', ')} cannot be recorded`);
      continue;
    }
    imports.push({ functionIndex: index, module: imp.module, name: imp.name, params, results: type?.results ?? [], stubbed });
  }

  if (info.memories.length > 1) problems.push(`${info.memories.length} memories (multi-memory) are not supported`);
  for (const m of info.memories) {
    if (m.shared) problems.push('a shared memory (threads) is not supported');
    if (m.memory64) problems.push('a 64-bit memory (memory64) is not supported');
  }
  const exported = new Map(info.exports.map((e) => [e.name, e.kind]));
  if (exported.get('memory') !== 'memory') problems.push('the module does not export its memory as "memory"');
  if (options.invoke === null) {
    if (exported.get('_start') !== 'func') {
      problems.push(
        exported.get('_initialize') === 'func'
          ? 'the module is a reactor (exports _initialize, not _start): pass --invoke NAME'
          : 'the module exports no _start function (not a WASI command)',
      );
    }
  } else if (exported.get(options.invoke) !== 'func') {
    problems.push(`the module exports no function named "${options.invoke}" to invoke`);
  }
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  } catch (e) {
    throw new InputError('invalid-wasm', `${file}: not a valid WebAssembly module: ${(e as Error).message}`);
  }
  if (problems.length > 0) throw new UnsupportedWasmError(file, problems);
  return { info, module, imports };
}
