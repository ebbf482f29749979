// A debug script for `wtrace replay --debugger` that reads C variables by their source names:
// at every hit of a line it prints the frame's parameters and locals (as C declarations with
// their values), then walks the same hits backward, and ends with the globals of the unit.
//
//   npx wtrace record --detail full -o dt.wtrace test/fixtures/wasm/debug_target.wasm
//   npx wtrace replay --debugger examples/variables-script.mjs dt.wtrace -- debug_target.c:43
//
// `variables(frameIndex)` and `globalVariables()` are documented in docs/replay.md ("C variables
// by their source names").

/** @param {import('wtrace').SourceVariable} v */
const show = (v) => `${v.type} ${v.name} = ${v.value}`;

/** @param {import('wtrace').Debuggee} debuggee @param {string[]} args */
export function debug(debuggee, args) {
  const [file, line] = (args[0] ?? 'debug_target.c:43').split(':');
  const bp = debuggee.addBreakpoint({ kind: 'line', file, line: Number(line) });
  for (const direction of ['forward', 'backward']) {
    for (let stop = debuggee.continue(direction); stop.kind === 'breakpoint'; stop = debuggee.continue(direction)) {
      const [frame] = debuggee.frames();
      console.log(`${direction} time ${stop.time} in ${frame.name}: ${debuggee.variables(0).map(show).join(', ')}`);
    }
  }
  debuggee.removeBreakpoint(bp.id);
  debuggee.seek(debuggee.end);
  const unit = debuggee.globalVariables().filter((g) => g.unit.endsWith(file));
  console.log(`at the end: ${unit.map(show).join(', ')}`);
}
