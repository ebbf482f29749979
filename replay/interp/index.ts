/**
 * The activation interpreter's public surface: `ModuleCode` (the original module decoded for
 * interpretation), `run` (execute one activation with exact time), `ProgramHost` (a whole-program
 * host that interprets callees recursively) and the contract types.
 */
export type * from './types.js';
export { ModuleCode, type InstructionInfo, type PendingCall } from './moduleCode.js';
export { run, type RunOptions, type RunStop } from './run.js';
export type { InstructionHook } from './frame.js';
export { TrapError, UnsupportedInstructionError, InterpStateError, type TrapKind, type TrapLocation } from './errors.js';
export { ProgramHost, LinkError, type ImportCall, type ProgramHostOptions } from './programHost.js';
export { Store, newMemory, newTable, type ExternInstance, type FuncInstance, type GlobalInstance, type MemoryInstance, type TableInstance } from './instances.js';
export type { TypesAt } from './compileFunction.js';
export type { DecodedModule, ImportDecl, ExportDecl, ElementSegment, DataSegment, Limits, TableType, GlobalType } from './moduleDecoder.js';
export { I32, I64, F32, F64, V128, FUNCREF, EXTERNREF, typeName, zeroValue, sameFuncType, type FuncType, type ValTypeName } from './valueTypes.js';
