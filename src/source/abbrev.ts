/** `.debug_abbrev`: the abbreviation tables that say which attributes, in which forms, each DIE has. */
import { DwarfReader } from './dwarfReader.js';
import { Form } from './forms.js';

export interface AttributeSpec {
  readonly name: number;
  readonly form: number;
  /** The value of a `DW_FORM_implicit_const` attribute (stored here, not in the DIE). */
  readonly implicitConst: number;
}

export interface Abbreviation {
  readonly tag: number;
  readonly hasChildren: boolean;
  readonly attributes: readonly AttributeSpec[];
}

/** Reads the table at `offset` of `.debug_abbrev`, by abbreviation code. */
export function readAbbreviations(section: Uint8Array, offset: number): Map<number, Abbreviation> {
  const r = new DwarfReader(section, '.debug_abbrev', offset);
  if (offset > section.length) r.fail('abbreviation table offset past the end of the section');
  const table = new Map<number, Abbreviation>();
  for (let code = r.uleb(); code !== 0; code = r.uleb()) {
    const tag = r.uleb();
    const hasChildren = r.u8() !== 0;
    const attributes: AttributeSpec[] = [];
    for (;;) {
      const name = r.uleb();
      const form = r.uleb();
      if (name === 0 && form === 0) break;
      attributes.push({ name, form, implicitConst: form === Form.implicitConst ? r.sleb() : 0 });
    }
    table.set(code, { tag, hasChildren, attributes });
  }
  return table;
}
