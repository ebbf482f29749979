/**
 * The interpreter loop: executes a compiled function (compileFunction.ts) from `fr.ip` on the
 * value stack (valueStack.ts), counting one unit of time per dispatched instruction. Control
 * transfers jump past structural markers exactly as docs/instrumentation.md ("Time") says, so
 * "dispatched" and "counted" are the same thing: a branch to a block continues past its `end`,
 * to a loop at its first body instruction, a false `if` past its `else` or `end`, a fallen-into
 * `else` past the matching `end`.
 *
 * Callees the host lets it run (`interpretedCallee`) run in this same loop, on frames above the
 * root activation's (inlineFrames.ts): no JS recursion, so Wasm recursion is limited by memory
 * and `maxInlineDepth`, not by the JS stack. Limits, stops at calls and the hook concern only the
 * root activation; callees always run to their return.
 *
 * It leaves with an `EXIT_*` code and `fr.ip/sp/t0/n` saved (for a return, the results are the
 * top slots). On a throw (a trap, or anything a host throws) `fr.ip` names the root's
 * instruction that threw, or its call whose inline callee threw, and `fr.t0 + fr.n` is the time
 * before it: the instruction is not counted and has changed none of the root's slots. A trap in
 * an inline callee is located at the callee's instruction. The commonest instructions run
 * inline; numeric ones go to numeric.ts and host-facing ones to hostOps.ts.
 */
import { TrapError } from './errors.js';
import { EXIT_CALL, EXIT_LIMIT, EXIT_RETURN, needMemory, untilOffset, type Frame } from './frame.js';
import { callHost, memoryOp, tableOp } from './hostOps.js';
import { enterInline, inlineCallee, MAX_INLINE_DEPTH, RECORD } from './inlineFrames.js';
import { numeric } from './numeric.js';
import { BR_IF_RETURN, BR_RETURN, END_FUNC, FC, LOCAL_GET32, LOCAL_SET32, LOCAL_TEE32 } from './opcodes.js';

/** Runs until a stop (see the file comment); returns the `EXIT_*` code. */
export function interpret(fr: Frame): number {
  const mc = fr.code;
  const st = mc.stack;
  const host = fr.host;
  const stopCalls = fr.stopCalls;
  const knowsWrites = fr.knowsWrites;
  const maxDepth = host.maxInlineDepth ?? MAX_INLINE_DEPTH;
  // The function executing now: the root activation's, or an inline callee's.
  let fn = fr.fn;
  let code = fn.code;
  let brTables = fn.brTables;
  let fp = fr.fp;
  let bp = fr.bp;
  let I32 = st.i32;
  let ip = fr.ip;
  let sp = fr.sp;
  let t0 = fr.t0;
  let n = fr.n;
  // The root stops when n reaches limit = min(untilN, maxN): untilN from `untilTime`, maxN from
  // its own instruction budget. While inline callees run, limit is Infinity.
  let untilN = untilOffset(fr);
  let maxN = n + fr.maxLeft;
  let limit = untilN < maxN ? untilN : maxN;
  let dv = fr.dv;
  let memLen = fr.memLen;
  // Inline callee frames: records in mc.inline from `base`; depth 0 is the root.
  const frames = mc.inline;
  const base = frames.top;
  let depth = 0;
  // The root's call that entered depth 1: where to resume (or roll back to) and its budget.
  let rootIp = 0;
  let rootSp = 0;
  let rootT0 = t0;
  let rootN = 0;
  let rootLeft = 0;
  try {
    for (;;) {
      if (n >= limit) {
        fr.ip = ip; fr.sp = sp; fr.n = n; fr.t0 = t0; fr.maxLeft = maxN - n;
        return EXIT_LIMIT;
      }
      n++;
      const op = code[ip];
      switch (op) {
        case 0x00: throw new TrapError('unreachable');
        case 0x01: case 0x02: case 0x03: case 0x0b: ip += 4; break;
        case 0x04: // if
          sp--;
          ip = I32[sp << 1] !== 0 ? ip + 4 : code[ip + 1];
          break;
        case 0x05: ip = code[ip + 1]; break; // else, fallen into: past the end
        case 0x0c: case 0x0d: { // br, br_if
          if (op === 0x0d) {
            sp--;
            if (I32[sp << 1] === 0) { ip += 4; break; }
          }
          const arity = code[ip + 3];
          const dst = bp + code[ip + 2];
          if (arity !== 0 && sp - arity !== dst) moveSlots(I32, sp - arity, dst, arity);
          sp = dst + arity;
          ip = code[ip + 1];
          break;
        }
        case 0x0e: { // br_table
          sp--;
          const count = code[ip + 2];
          let v = I32[sp << 1] >>> 0;
          if (v > count) v = count;
          const e = code[ip + 1] + v * 3;
          const target = brTables[e];
          const arity = brTables[e + 2];
          if (target < 0) {
            if (depth === 0) {
              fr.ip = ip; fr.sp = sp; fr.n = n; fr.t0 = t0;
              return EXIT_RETURN;
            }
            // In a callee: finish through its final `end`, which then does not count again.
            n--;
            ip = (fn.instructionCount - 1) * 4;
            break;
          }
          const dst = bp + brTables[e + 1];
          if (arity !== 0 && sp - arity !== dst) moveSlots(I32, sp - arity, dst, arity);
          sp = dst + arity;
          ip = target;
          break;
        }
        case BR_IF_RETURN:
          sp--;
          if (I32[sp << 1] === 0) { ip += 4; break; }
        // fall through: taken
        case 0x0f: case BR_RETURN: case END_FUNC: {
          if (depth === 0) {
            fr.ip = ip; fr.sp = sp; fr.n = n; fr.t0 = t0;
            return EXIT_RETURN;
          }
          // An inline callee returns: its results go where the caller's arguments were.
          const r = (base + --depth) * RECORD;
          const w = frames.data;
          const results = fn.type.results.length;
          const to = w[r + 3];
          for (let k = 0, a = (sp - results) << 1, b = to << 1; k < results * 2; k++) I32[b + k] = I32[a + k];
          st.top = w[r + 4];
          frames.top = base + depth;
          fn = mc.compiledFunction(w[r + 2]);
          code = fn.code;
          brTables = fn.brTables;
          fp = w[r + 1];
          bp = fp + fn.localTypes.length;
          sp = to + results;
          ip = w[r];
          if (code[ip] >= 0x12) {
            // The caller tail-called: it returns too, through its final `end` (not counted again).
            n--;
            ip = (fn.instructionCount - 1) * 4;
          } else ip += 4;
          if (depth === 0) {
            maxN = n + rootLeft;
            limit = untilN < maxN ? untilN : maxN;
          }
          break;
        }
        case 0x10: case 0x11: case 0x12: case 0x13: {
          if (stopCalls && depth === 0) {
            if (fr.resumeCall) fr.resumeCall = false;
            else {
              n--;
              fr.ip = ip; fr.sp = sp; fr.n = n; fr.t0 = t0;
              return EXIT_CALL;
            }
          }
          const callee = host.interpretedCallee === undefined ? -1 : inlineCallee(mc, host, code, ip, sp);
          if (callee >= 0) {
            if (depth >= maxDepth) throw new TrapError('call stack exhausted');
            if (depth === 0) {
              rootIp = ip; rootSp = sp; rootT0 = t0; rootN = n; rootLeft = maxN - n;
              limit = Infinity;
            }
            const cfn = mc.compiledFunction(callee);
            const argTop = op === 0x11 || op === 0x13 ? sp - 1 : sp;
            frames.push(ip, fp, fn.funcIndex, argTop - cfn.paramCount, st.top);
            depth++;
            fp = enterInline(st, cfn, argTop);
            fn = cfn;
            code = fn.code;
            brTables = fn.brTables;
            bp = fp + fn.localTypes.length;
            sp = bp;
            ip = 0;
            I32 = st.i32;
            break;
          }
          frames.top = base + depth; // a host that runs this code again stacks its frames above
          sp = callHost(fr, fn, ip, sp, t0 + BigInt(n));
          if (depth === 0) maxN -= n;
          t0 = fr.t0;
          n = 0;
          untilN = untilOffset(fr);
          if (depth === 0) limit = untilN < maxN ? untilN : maxN;
          I32 = st.i32;
          dv = fr.dv;
          memLen = fr.memLen;
          if (op >= 0x12) { // a tail call: the callee's results are ours
            if (depth === 0) {
              fr.ip = ip; fr.sp = sp; fr.n = n; fr.t0 = t0; fr.maxLeft = maxN - n;
              return EXIT_RETURN;
            }
            n--;
            ip = (fn.instructionCount - 1) * 4;
            break;
          }
          ip += 4;
          break;
        }
        case 0x1a: sp--; ip += 4; break;
        case 0x1b: { // select
          sp -= 2;
          if (I32[(sp + 1) << 1] === 0) {
            const d = (sp - 1) << 1;
            I32[d] = I32[sp << 1];
            I32[d + 1] = I32[(sp << 1) + 1];
          }
          ip += 4;
          break;
        }
        case LOCAL_GET32: I32[sp << 1] = I32[(fp + code[ip + 1]) << 1]; sp++; ip += 4; break;
        case LOCAL_SET32: sp--; I32[(fp + code[ip + 1]) << 1] = I32[sp << 1]; ip += 4; break;
        case LOCAL_TEE32: I32[(fp + code[ip + 1]) << 1] = I32[(sp - 1) << 1]; ip += 4; break;
        case 0x20: { // local.get
          const s = (fp + code[ip + 1]) << 1;
          const d = sp << 1;
          I32[d] = I32[s];
          I32[d + 1] = I32[s + 1];
          sp++;
          ip += 4;
          break;
        }
        case 0x21: { // local.set
          sp--;
          const s = sp << 1;
          const d = (fp + code[ip + 1]) << 1;
          I32[d] = I32[s];
          I32[d + 1] = I32[s + 1];
          ip += 4;
          break;
        }
        case 0x22: { // local.tee
          const s = (sp - 1) << 1;
          const d = (fp + code[ip + 1]) << 1;
          I32[d] = I32[s];
          I32[d + 1] = I32[s + 1];
          ip += 4;
          break;
        }
        case 0x23: st.write(sp, host.globalGet(t0 + BigInt(n), code[ip + 1])); sp++; ip += 4; break;
        case 0x24: {
          const g = code[ip + 1];
          host.globalSet(t0 + BigInt(n), g, st.read(sp - 1, mc.module.globals[g].type));
          sp--;
          ip += 4;
          break;
        }
        // Loads: address in the top slot, result in its place.
        case 0x28: case 0x2a: case 0x2c: case 0x2d: case 0x2e: case 0x2f: { // 32-bit results
          const k = (sp - 1) << 1;
          const ea = (I32[k] >>> 0) + (code[ip + 1] >>> 0);
          const size = op <= 0x2a ? 4 : op <= 0x2d ? 1 : 2;
          if (ea + size > memLen) { memLen = needMemory(fr, t0 + BigInt(n), ea + size); dv = fr.dv; }
          switch (op) {
            case 0x2c: I32[k] = dv.getInt8(ea); break;
            case 0x2d: I32[k] = dv.getUint8(ea); break;
            case 0x2e: I32[k] = dv.getInt16(ea, true); break;
            case 0x2f: I32[k] = dv.getUint16(ea, true); break;
            default: I32[k] = dv.getInt32(ea, true); break;
          }
          ip += 4;
          break;
        }
        case 0x29: case 0x2b: case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: { // 64-bit results
          const k = (sp - 1) << 1;
          const ea = (I32[k] >>> 0) + (code[ip + 1] >>> 0);
          const size = op <= 0x2b ? 8 : op <= 0x31 ? 1 : op <= 0x33 ? 2 : 4;
          if (ea + size > memLen) { memLen = needMemory(fr, t0 + BigInt(n), ea + size); dv = fr.dv; }
          switch (op) {
            case 0x30: I32[k] = dv.getInt8(ea); I32[k + 1] = I32[k] >> 31; break;
            case 0x31: I32[k] = dv.getUint8(ea); I32[k + 1] = 0; break;
            case 0x32: I32[k] = dv.getInt16(ea, true); I32[k + 1] = I32[k] >> 31; break;
            case 0x33: I32[k] = dv.getUint16(ea, true); I32[k + 1] = 0; break;
            case 0x34: I32[k] = dv.getInt32(ea, true); I32[k + 1] = I32[k] >> 31; break;
            case 0x35: I32[k] = dv.getInt32(ea, true); I32[k + 1] = 0; break;
            default: I32[k] = dv.getInt32(ea, true); I32[k + 1] = dv.getInt32(ea + 4, true); break;
          }
          ip += 4;
          break;
        }
        // Stores: address below the value.
        case 0x36: case 0x37: case 0x38: case 0x39: case 0x3a: case 0x3b: case 0x3c: case 0x3d: case 0x3e: {
          const v = (sp - 1) << 1;
          const ea = (I32[v - 2] >>> 0) + (code[ip + 1] >>> 0);
          const size = op === 0x37 || op === 0x39 ? 8 : op === 0x3a || op === 0x3c ? 1 : op === 0x3b || op === 0x3d ? 2 : 4;
          if (ea + size > memLen) { memLen = needMemory(fr, t0 + BigInt(n), ea + size); dv = fr.dv; }
          if (knowsWrites) {
            // The host's memory has this store already, and later reads must see it: fetch again.
            memLen = fr.memLen = -1;
          } else if (size === 4) dv.setInt32(ea, I32[v], true);
          else if (size === 8) { dv.setInt32(ea, I32[v], true); dv.setInt32(ea + 4, I32[v + 1], true); }
          else if (size === 1) dv.setInt8(ea, I32[v]);
          else dv.setInt16(ea, I32[v], true);
          sp -= 2;
          ip += 4;
          break;
        }
        case 0x3f: case 0x40: case FC + 8: case FC + 9: case FC + 10: case FC + 11:
          sp = memoryOp(fr, fn, ip, sp, t0 + BigInt(n));
          dv = fr.dv;
          memLen = fr.memLen;
          ip += 4;
          break;
        case 0x41: case 0x43: I32[sp << 1] = code[ip + 1]; sp++; ip += 4; break;
        case 0x42: case 0x44: I32[sp << 1] = code[ip + 1]; I32[(sp << 1) + 1] = code[ip + 2]; sp++; ip += 4; break;
        // The commonest i32 instructions; numeric.ts has the rest.
        case 0x45: { const k = (sp - 1) << 1; I32[k] = I32[k] === 0 ? 1 : 0; ip += 4; break; }
        case 0x46: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] === I32[sp << 1] ? 1 : 0; ip += 4; break; }
        case 0x47: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] !== I32[sp << 1] ? 1 : 0; ip += 4; break; }
        case 0x48: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] < I32[sp << 1] ? 1 : 0; ip += 4; break; }
        case 0x49: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] >>> 0 < I32[sp << 1] >>> 0 ? 1 : 0; ip += 4; break; }
        case 0x4a: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] > I32[sp << 1] ? 1 : 0; ip += 4; break; }
        case 0x4b: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] >>> 0 > I32[sp << 1] >>> 0 ? 1 : 0; ip += 4; break; }
        case 0x4c: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] <= I32[sp << 1] ? 1 : 0; ip += 4; break; }
        case 0x4d: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] >>> 0 <= I32[sp << 1] >>> 0 ? 1 : 0; ip += 4; break; }
        case 0x4e: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] >= I32[sp << 1] ? 1 : 0; ip += 4; break; }
        case 0x4f: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] >>> 0 >= I32[sp << 1] >>> 0 ? 1 : 0; ip += 4; break; }
        case 0x6a: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] + I32[sp << 1]; ip += 4; break; }
        case 0x6b: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] - I32[sp << 1]; ip += 4; break; }
        case 0x6c: { sp--; const k = (sp - 1) << 1; I32[k] = Math.imul(I32[k], I32[sp << 1]); ip += 4; break; }
        case 0x71: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] & I32[sp << 1]; ip += 4; break; }
        case 0x72: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] | I32[sp << 1]; ip += 4; break; }
        case 0x73: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] ^ I32[sp << 1]; ip += 4; break; }
        case 0x74: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] << I32[sp << 1]; ip += 4; break; }
        case 0x75: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] >> I32[sp << 1]; ip += 4; break; }
        case 0x76: { sp--; const k = (sp - 1) << 1; I32[k] = I32[k] >>> I32[sp << 1]; ip += 4; break; }
        case 0xd0: I32[sp << 1] = -1; sp++; ip += 4; break; // ref.null
        case 0xd1: { const k = (sp - 1) << 1; I32[k] = I32[k] === -1 ? 1 : 0; ip += 4; break; } // ref.is_null
        case 0xd2: { // ref.func
          const f = code[ip + 1];
          I32[sp << 1] = host.funcRef !== undefined ? host.funcRef(f) : f;
          sp++;
          ip += 4;
          break;
        }
        case 0x25: case 0x26: case FC + 12: case FC + 13: case FC + 14: case FC + 15: case FC + 16: case FC + 17:
          sp = tableOp(fr, fn, ip, sp, t0 + BigInt(n));
          I32 = st.i32;
          ip += 4;
          break;
        default:
          sp = numeric(op, st, sp);
          ip += 4;
          break;
      }
    }
  } catch (e) {
    if (depth === 0) {
      fr.ip = ip; fr.sp = sp; fr.n = n - 1; fr.t0 = t0;
    } else {
      if (e instanceof TrapError) e.locate({ funcIndex: fn.funcIndex, pc: fn.pcs[ip >> 2], time: t0 + BigInt(n - 1) });
      // Back to the root, before its call (the callee frames held copies of the arguments).
      fr.ip = rootIp; fr.sp = rootSp; fr.n = rootN - 1; fr.t0 = rootT0;
      st.top = frames.data[base * RECORD + 4];
    }
    throw e;
  } finally {
    frames.top = base;
  }
}

/** Moves `count` slots from `from` down to `to` (to < from), word by word (no copyWithin call for a few words). */
function moveSlots(w: Int32Array, from: number, to: number, count: number): void {
  for (let k = 0, a = from << 1, b = to << 1; k < count * 2; k++) w[b + k] = w[a + k];
}
