/**
 * The unit headers of `.debug_info` (DWARF 2-5), each with its abbreviation table and a reader
 * over its DIEs: what both DIE readers (debugInfo.ts's summary, dieTree.ts's tree) start from.
 */
import { type Abbreviation, readAbbreviations } from './abbrev.js';
import type { DebugInfoSections } from './debugInfo.js';
import { DwarfReader, readUnitStart } from './dwarfReader.js';
import type { UnitEncoding } from './forms.js';

/** One unit of `.debug_info`, its header read. */
export interface InfoUnitHeader {
  /** Offset of the unit header in `.debug_info`. */
  readonly offset: number;
  /** `DW_UT_*` (DWARF 5); 1 (`DW_UT_compile`) for earlier versions. */
  readonly unitType: number;
  readonly encoding: UnitEncoding;
  readonly abbrevs: Map<number, Abbreviation>;
  /** A reader over the unit's DIEs, from the first to the unit's end. */
  readonly dies: DwarfReader;
}

/**
 * Every unit of `.debug_info` in section order; with `codeOnly`, only compile and partial units
 * (type and split units describe no code of this module, and their abbreviations are not read).
 * Throws `DwarfFormatError` for a damaged header, an unsupported version or address size, or a
 * missing `.debug_abbrev`.
 */
export function readInfoUnits(s: DebugInfoSections, codeOnly = false): InfoUnitHeader[] {
  if (s.info === undefined) return [];
  const r = new DwarfReader(s.info, '.debug_info');
  const abbrevCache = new Map<number, Map<number, Abbreviation>>();
  const units: InfoUnitHeader[] = [];
  while (!r.atEnd()) {
    const { offset, unit: u, offsetSize, version } = readUnitStart(r, 'unit');
    let unitType = 1; // DW_UT_compile
    let addressSize: number;
    let abbrevOffset: number;
    if (version >= 5) {
      unitType = u.u8();
      addressSize = u.u8();
      abbrevOffset = u.offsetOf(offsetSize);
      if (unitType === 4 || unitType === 5) u.skip(8); // skeleton, split_compile: dwo_id
      else if (unitType === 2 || unitType === 6) u.skip(8 + offsetSize); // type units: signature, type offset
    } else {
      abbrevOffset = u.offsetOf(offsetSize);
      addressSize = u.u8();
    }
    if (![1, 2, 4, 8].includes(addressSize)) u.fail(`unsupported address size ${addressSize}`);
    if (codeOnly && unitType !== 1 && unitType !== 3) continue;
    const abbrevSection = s.abbrev ?? u.fail('the module has .debug_info but no .debug_abbrev', offset);
    let abbrevs = abbrevCache.get(abbrevOffset);
    if (abbrevs === undefined) abbrevCache.set(abbrevOffset, (abbrevs = readAbbreviations(abbrevSection, abbrevOffset)));
    units.push({ offset, unitType, encoding: { version, offsetSize, addressSize }, abbrevs, dies: u });
  }
  return units;
}
