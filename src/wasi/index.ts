/** The WASI preview1 host: live (real files, clocks, randomness) with its own descriptor table. */
export { GuestMemory, GuestFault, type WriteObserver } from './guestMemory.js';
export { WASI_MODULE, WASI_SIGNATURES, wasiFunctionId, type WasiSignature } from './signatures.js';
export {
  WasiExit,
  type ByteSink,
  type ByteSource,
  type Preopen,
  type WasiFunction,
  type WasiHost,
  type WasiHostOptions,
} from './hostTypes.js';
export { createLiveHost } from './liveHost.js';
export { replayImports, LogMismatch, LogExhausted, StubbedImportCalled, type LoggedCallView, type ReplayImports } from './replayHost.js';
