/**
 * One side of a level-2 or level-3 diff: a `--detail full` (or indexed) trace opened for
 * streaming, with what a report needs to name things: function and import names, and source
 * positions when the module has DWARF. Refuses traces whose detail events do not cover the run.
 */
import { CallShapes } from '../../instrument/callShapes.js';
import { decodePositions, type ModulePositions } from '../../instrument/positions.js';
import { SourceMap, type SourceLocation } from '../../src/source/index.js';
import { TraceReader, type TraceSummary } from '../../src/trace/index.js';
import { readModuleInfo } from '../../src/wasm/moduleInfo.js';
import { DiffInputError } from './errors.js';

export class DetailTrace {
  readonly summary: TraceSummary;
  /** Function index to name-section name. */
  readonly names: ReadonlyMap<number, string>;
  /** Import function index to its field name (`fd_write`). */
  readonly importNames: ReadonlyMap<number, string>;
  private sourceMap: SourceMap | null | undefined;
  private positions: ModulePositions | null | undefined;

  private constructor(
    readonly file: string,
    readonly reader: TraceReader,
    readonly moduleBytes: Uint8Array,
  ) {
    this.summary = reader.summary();
    this.names = readModuleInfo(moduleBytes).functionNames;
    this.importNames = new Map(reader.imports().map((i) => [i.functionIndex, i.name]));
    this.shapes = CallShapes.of(moduleBytes);
  }

  /** The module's call shapes: what decoding compact call events needs. */
  readonly shapes: CallShapes;

  /**
   * Opens `file` for `diff --level level`. Throws `DiffInputError` for an inputs-only trace (run
   * `wtrace index`) or a windowed one, and the trace layer's errors for a bad file. An
   * incomplete trace is accepted: its events end where the recording stopped.
   */
  static open(file: string, level: number): DetailTrace {
    const reader = TraceReader.open(file);
    try {
      const summary = reader.summary();
      if (summary.detail !== 'full') throw DiffInputError.detailNeeded(file, level);
      if (summary.detailBounds.window !== null || summary.detailBounds.last !== null) throw DiffInputError.partialDetail(file, level);
      return new DetailTrace(file, reader, reader.verifiedModuleBytes());
    } catch (e) {
      reader.close();
      throw e;
    }
  }

  /** A function's name, `func[N]` when the name section has none. */
  functionName(index: number): string {
    return this.names.get(index) ?? this.importNames.get(index) ?? `func[${index}]`;
  }

  /** An import's field name (`fd_write`); `functionName` for anything else. */
  importName(index: number): string {
    return this.importNames.get(index) ?? this.functionName(index);
  }

  /**
   * The pc of the instruction in function `caller` that calls `callee` (`call`/`return_call`
   * with that index), when there is exactly one; null when there are several or none (an
   * indirect call) or the code cannot be decoded. Lets a report name the line of a call
   * without re-executing anything.
   */
  callSite(caller: number, callee: number): number | null {
    if (this.positions === undefined) {
      try {
        this.positions = decodePositions(this.moduleBytes, this.file);
      } catch {
        this.positions = null;
      }
    }
    const fn = this.positions?.functions.find((f) => f.funcIndex === caller);
    if (fn === undefined) return null;
    const calls = fn.instructions.filter((i) => (i.name === 'call' || i.name === 'return_call') && i.index === callee);
    return calls.length === 1 ? calls[0].offset : null;
  }

  /** file:line:column of `pc` from the module's DWARF line tables; null without DWARF (or a table that does not cover it). */
  locationAt(pc: number): SourceLocation | null {
    if (this.sourceMap === undefined) {
      try {
        this.sourceMap = SourceMap.fromModule(this.moduleBytes);
      } catch {
        // Damaged DWARF: the diff still works, without source positions.
        this.sourceMap = null;
      }
    }
    return this.sourceMap?.locationAt(pc) ?? null;
  }

  close(): void {
    this.reader.close();
  }
}
