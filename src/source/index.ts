/**
 * Source-level facts of a module, read from its own bytes (layer 0: depends only on
 * src/wasm and src/errors.ts): pc <-> file:line from DWARF line tables, function names and
 * ranges from DWARF subprograms, and C variables (parameters, locals in scope at a pc,
 * globals) with their C types, location expressions evaluated for wasm32, and values
 * formatted as a C programmer reads them.
 */
export { SourceMap, type SourceLocation, type LineRow, type LinePcs } from './sourceMap.js';
export { DwarfFunctions, functionNamesWithDwarf, type FunctionRange } from './dwarfFunctions.js';
export { DwarfFormatError, SourceLookupError, type SourceLookupCode } from './errors.js';
export { DwarfVariables, type VariableDecl, type FunctionScope, type ScopeAt } from './dwarfVariables.js';
export { type CType, type CMember, typeName, sizeOf, stripTypedefs } from './cTypes.js';
export { evaluateLocation, evaluateFrameBase, type ExprContext, type WasmScalar, type EvaluatedLocation, type SimpleLocation, bytesToBig } from './locationExpr.js';
export { expressionAt, type LocationDescription } from './rangeLists.js';
export { describeVariable, DEFAULT_LIMITS, hex32, type CValueNode, type MemoryReader, type FormatLimits } from './cValues.js';
