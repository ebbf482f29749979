/**
 * A call whose callee the host lets the interpreter run itself (`InlineCallHost`): the callee's
 * frame starts at the caller's arguments, which become its first locals in place, and its
 * results are moved down to where the arguments were. No `Value` is built. The callee runs to
 * completion with no time limit, no stop at calls and no hook, as a host-run callee would.
 */
import { TrapError } from './errors.js';
import { newFrame, type Frame } from './frame.js';
import { callHost } from './hostOps.js';
import { interpret } from './interpreter.js';
import type { CallTarget } from './types.js';
import { EXTERNREF, FUNCREF } from './valueTypes.js';

/** As `callHost` (same arguments and result), interpreting the callee here when the host allows. */
export function callMaybeInline(fr: Frame, ip: number, sp: number, time: bigint): number {
  const c = fr.fn.code;
  const op = c[ip];
  const code = fr.code;
  const st = code.stack;
  let argTop = sp;
  let target: CallTarget;
  if (op === 0x10 || op === 0x12) target = code.directTarget(c[ip + 1]);
  else {
    argTop = sp - 1;
    target = { kind: 'indirect', typeIndex: c[ip + 1], tableIndex: c[ip + 2], elementIndex: st.i32[argTop << 1] >>> 0 };
  }
  const callee = fr.host.interpretedCallee!(time, target);
  if (callee < 0) return callHost(fr, ip, sp, time);

  const fn = code.compiledFunction(callee);
  const fp = argTop - fn.paramCount;
  const locals = fn.localTypes.length;
  const end = fp + locals + fn.maxHeight + 1;
  const savedTop = st.top;
  if (end > st.top) {
    st.reserve(end - st.top);
    st.top = end;
  }
  const w = st.i32;
  for (let k = fn.paramCount; k < locals; k++) {
    const t = fn.localTypes[k];
    const s = (fp + k) << 1;
    w[s] = t === FUNCREF || t === EXTERNREF ? -1 : 0;
    w[s + 1] = 0;
  }
  const cfr = newFrame(code, fn, fr.host, fp, {
    ip: 0, sp: fp + locals, t0: time, until: null, maxLeft: Infinity, stopCalls: false, resumeCall: false, hook: null,
  });
  cfr.mem = fr.mem;
  cfr.dv = fr.dv;
  cfr.memLen = fr.memLen;
  try {
    interpret(cfr);
  } catch (e) {
    if (e instanceof TrapError) e.locate({ funcIndex: callee, pc: fn.pcs[cfr.ip >> 2], time: cfr.t0 + BigInt(cfr.n) });
    throw e;
  } finally {
    st.top = savedTop;
  }
  const results = fn.type.results.length;
  if (results !== 0) st.i32.copyWithin(fp << 1, (cfr.sp - results) << 1, cfr.sp << 1);
  fr.t0 = cfr.t0 + BigInt(cfr.n);
  fr.mem = cfr.mem;
  fr.dv = cfr.dv;
  fr.memLen = cfr.memLen;
  return fp + results;
}
