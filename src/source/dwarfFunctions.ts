/**
 * Function names and ranges from DWARF `DW_TAG_subprogram` entries: a fallback for the name
 * section (which stays the primary source of names, see src/wasm/moduleInfo.ts), and the
 * function whose code covers a pc. Subprograms without a contiguous range (`DW_AT_ranges`)
 * and inlined instances are not listed.
 */
import { readSubprograms } from './debugInfo.js';
import { DwarfFormatError } from './errors.js';
import { functionBodies, readModuleSections } from './moduleSections.js';
import { lastAtOrBelow } from './search.js';
import { readModuleInfo } from '../wasm/moduleInfo.js';

/** A function's code as module pcs. */
export interface FunctionRange {
  /** `DW_AT_name`, else the linkage name, else `""`. */
  readonly name: string;
  /** `DW_AT_linkage_name` (mangled), when the compiler gave one. */
  readonly linkageName: string | undefined;
  /** First byte of the function's body after its size field (where its local declarations start). */
  readonly lowPc: number;
  /** One past the body's last byte. */
  readonly highPc: number;
  /** Wasm function index (imports counted), when `lowPc` is the start of a body. */
  readonly funcIndex: number | undefined;
}

export class DwarfFunctions {
  private readonly lows: Float64Array;

  private constructor(
    /** Sorted by `lowPc`. */
    readonly ranges: readonly FunctionRange[],
  ) {
    this.lows = Float64Array.from(ranges, (r) => r.lowPc);
  }

  /**
   * The subprograms of `bytes`' `.debug_info` (none without it). Throws `DwarfFormatError`
   * for malformed DWARF and `WasmDecodeError` for a damaged module.
   */
  static fromModule(bytes: Uint8Array): DwarfFunctions {
    const sections = readModuleSections(bytes);
    const d = sections.debug;
    const codeOffset = sections.codePayloadOffset;
    if (codeOffset === undefined || !d.has('.debug_info')) return new DwarfFunctions([]);
    const subprograms = readSubprograms({
      info: d.get('.debug_info'), abbrev: d.get('.debug_abbrev'), debugStr: d.get('.debug_str'),
      lineStr: d.get('.debug_line_str'), strOffsets: d.get('.debug_str_offsets'), addr: d.get('.debug_addr'),
    });
    const bodyByStart = new Map(functionBodies(sections).map((b) => [b.start, b.bodyIndex]));
    const imported = bodyByStart.size > 0 ? readModuleInfo(bytes).importedFunctionCount : 0;
    const ranges = subprograms
      .filter((s) => s.lowPc !== 0 && s.lowPc < 0xfffffffe && s.highPc > s.lowPc) // dead code: tombstoned
      .map((s): FunctionRange => {
        const lowPc = s.lowPc + codeOffset;
        const body = bodyByStart.get(lowPc);
        return {
          name: s.name ?? s.linkageName ?? '', linkageName: s.linkageName, lowPc, highPc: s.highPc + codeOffset,
          funcIndex: body === undefined ? undefined : imported + body,
        };
      })
      .sort((a, b) => a.lowPc - b.lowPc);
    return new DwarfFunctions(ranges);
  }

  /** The function whose `[lowPc, highPc)` holds `pc`, or null. */
  at(pc: number): FunctionRange | null {
    const i = lastAtOrBelow(this.lows, pc);
    if (i < 0) return null;
    const r = this.ranges[i];
    return pc < r.highPc ? r : null;
  }

  /** Function index -> name, for the functions DWARF ties to a body and names. */
  names(): Map<number, string> {
    const out = new Map<number, string>();
    for (const r of this.ranges) if (r.funcIndex !== undefined && r.name !== '') out.set(r.funcIndex, r.name);
    return out;
  }
}

/**
 * Function index -> name: the name section's names, completed with DWARF's for functions it
 * does not name. Never throws for bad DWARF (names are a convenience); throws
 * `WasmDecodeError` for a damaged module, like `readModuleInfo`.
 */
export function functionNamesWithDwarf(bytes: Uint8Array): Map<number, string> {
  const names = new Map(readModuleInfo(bytes).functionNames);
  let dwarf: Map<number, string>;
  try {
    dwarf = DwarfFunctions.fromModule(bytes).names();
  } catch (err) {
    if (err instanceof DwarfFormatError) return names;
    throw err;
  }
  for (const [index, name] of dwarf) if (!names.has(index)) names.set(index, name);
  return names;
}
