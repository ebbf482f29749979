// A debug script for `wtrace replay --debugger`: it gets the replay as a debuggee stopped at
// time 0 and drives it like a debugger would. This one answers "who called factorial, with
// which n, and what did each call return?", then goes backward from the end of the recording
// to the last write of the global `counter`.
//
//   npx wtrace record --detail full -o dt.wtrace test/fixtures/wasm/debug_target.wasm
//   npx wtrace replay --debugger examples/debug-script.mjs dt.wtrace -- factorial
//
// The debuggee API is documented in docs/replay.md ("The debuggee API").

/** @param {import('wtrace').Debuggee} debuggee @param {string[]} args */
export function debug(debuggee, args) {
  const name = args[0] ?? 'factorial';
  const bp = debuggee.addBreakpoint({ kind: 'function', name });
  for (let stop = debuggee.continue('forward'); stop.kind === 'breakpoint'; stop = debuggee.continue('forward')) {
    const [callee, caller] = debuggee.frames();
    const args = callee.locals.slice(0, 1).map((v) => ('value' in v ? v.value : '?'));
    const from = caller?.source ? `${caller.source.file.split('/').pop()}:${caller.source.line}` : `pc 0x${caller?.pc.toString(16)}`;
    console.log(`time ${stop.time}: ${name}(${args.join(', ')}) called from ${caller?.name} at ${from}`);
  }
  debuggee.removeBreakpoint(bp.id);
  console.log(`the recording ends at time ${debuggee.end}; stdout so far: ${JSON.stringify(Buffer.from(debuggee.output().stdout).toString())}`);

  // Backward: step back from the end until some frame is live, then to the last call of `name`.
  const again = debuggee.addBreakpoint({ kind: 'function', name });
  const last = debuggee.continue('backward');
  console.log(`reverse-continue: ${last.kind} at time ${last.time} in ${debuggee.frames()[0]?.name}`);
  debuggee.stepOut('forward');
  const [frame] = debuggee.frames();
  console.log(`after its return: back in ${frame.name} at line ${frame.source?.line ?? '?'} (time ${debuggee.now})`);
  debuggee.removeBreakpoint(again.id);
}
