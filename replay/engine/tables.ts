/**
 * The module's tables as its element segments fill them at instantiation. A trace logs no table
 * writes (`table.set/grow/fill/copy/init`), so these contents are the tables at every time of
 * the recording exactly when the module has none of those instructions and defines the table
 * itself (an imported table could be changed by the host); otherwise a view says `exact: false`
 * and shows only the initial contents. C compiled by clang fills its one function table from an
 * active segment and never writes it, so its table is exact.
 */
import { evalConstExpr, type ConstExpr } from '../interp/constExpr.js';
import type { ModuleCode } from '../interp/index.js';
import type { ReplayModule } from './moduleView.js';

/** One table (`Debuggee.tables()`). */
export interface TableView {
  readonly index: number;
  /** `funcref`, `externref` or the reference type's byte in hex. */
  readonly refType: string;
  readonly size: number;
  /** Per element: the function index a funcref holds, or null (null reference, or not known). */
  readonly elements: readonly (number | null)[];
  readonly imported: boolean;
  /** True when `elements` are the contents at every time of the recording (see above). */
  readonly exact: boolean;
  /** Why the contents may differ at some time, when they may; else null. */
  readonly note: string | null;
}

/** Opcodes that write a table: table.set, and table.init/copy/grow/fill (0xfc 12, 14, 15, 17). */
const TABLE_WRITES = new Set([0x26, 0xfc00 | 12, 0xfc00 | 14, 0xfc00 | 15, 0xfc00 | 17]);

/** The tables of `code`'s module after instantiation, with how far they hold over the recording. */
export function moduleTables(code: ModuleCode, module: ReplayModule): TableView[] {
  const m = code.module;
  const writer = module.definedFunctions.find((f) => module.positions(f)?.instructions.some((i) => TABLE_WRITES.has(i.code)));
  const importedTables = new Set(m.imports.filter((i) => i.kind === 'table').map((i) => (i as { index: number }).index));
  const contents = m.tables.map((t) => new Array<number | null>(t.limits.min).fill(null));
  const problems = m.tables.map((): string | null => null);
  for (const segment of m.elements) {
    if (segment.mode !== 'active' || segment.offset === null) continue;
    const table = contents[segment.table];
    const offset = constI32(segment.offset);
    if (table === undefined) continue;
    if (offset === null || offset + segment.items.length > table.length) {
      problems[segment.table] ??= 'an element segment whose offset is not a constant or does not fit the table';
      continue;
    }
    segment.items.forEach((item, k) => (table[offset + k] = funcIndexOf(item)));
  }
  return m.tables.map((t, index) => {
    const imported = importedTables.has(index);
    const note =
      problems[index] ??
      (imported ? 'the table is imported: the host may have changed it' : writer !== undefined ? `function ${module.functionName(writer) ?? writer} writes tables, which the trace does not log` : null);
    return { index, refType: refTypeName(t.refType), size: t.limits.min, elements: contents[index], imported, exact: note === null, note };
  });
}

function constI32(expr: ConstExpr): number | null {
  try {
    const v = evalConstExpr(expr, {
      global: () => {
        throw new Error('global.get in an offset');
      },
      funcRef: () => {
        throw new Error('ref.func in an offset');
      },
    });
    return v.type === 'i32' ? v.value >>> 0 : null;
  } catch {
    return null;
  }
}

function funcIndexOf(item: ConstExpr): number | null {
  return item.length === 1 && item[0].op === 'ref.func' ? item[0].index : null;
}

function refTypeName(refType: number): string {
  return refType === 0x70 ? 'funcref' : refType === 0x6f ? 'externref' : `0x${refType.toString(16)}`;
}
