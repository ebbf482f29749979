/** How every embedder of wtrace starts a WASI program. */

/**
 * Calls the program's entry point: a command's `_start`, or for a reactor `_initialize` (when
 * exported) and then the export `invoke`. Whatever the program throws (traps, `proc_exit`'s
 * `WasiExit`, a replay's stop signals) propagates to the caller, who classifies it.
 */
export function runEntry(instance: WebAssembly.Instance, invoke: string | null): void {
  const exports = instance.exports as Record<string, Function>;
  if (invoke === null) {
    exports._start();
  } else {
    exports._initialize?.();
    exports[invoke]();
  }
}
