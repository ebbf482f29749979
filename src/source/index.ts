/**
 * Source-level facts of a module, read from its own bytes (layer 0: depends only on
 * src/wasm and src/errors.ts): pc <-> file:line from DWARF line tables, and function names
 * and ranges from DWARF subprograms. No variables or types: those are for
 * @vscode/dwarf-debugging (DESIGN.md).
 */
export { SourceMap, type SourceLocation, type LineRow, type LinePcs } from './sourceMap.js';
export { DwarfFunctions, functionNamesWithDwarf, type FunctionRange } from './dwarfFunctions.js';
export { DwarfFormatError, SourceLookupError, type SourceLookupCode } from './errors.js';
