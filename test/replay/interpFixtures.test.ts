/**
 * The activation interpreter on whole C programs: each fixture is recorded with `wtrace record
 * --detail full` (which counts instructions exactly and logs the time of every import call),
 * then its `_start` (or `_initialize` and the invoked export) is interpreted on `ProgramHost`
 * with every WASI call answered from the trace's input log. Required: every import call comes
 * in the logged order with the logged arguments at exactly the logged instruction time; what
 * each `fd_write` to stdout/stderr passes (read from the interpreter's memory) is the logged
 * output; the program ends as recorded (exit code, or the same trap in the same function at the
 * same pc); and the total count equals the trace's instruction count (at a trap: V8's counter
 * counts an `unreachable` too, and is a lower bound at other traps). Two programs run again with
 * every callee going through `host.call` and a fresh `run` instead of inline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModuleCode, ProgramHost, TrapError, type Value } from '../../replay/interp/index.js';
import { TraceReader, type ImportCall } from '../../src/trace/index.js';
import { fixture, tempDir, wtrace } from '../helpers/run.js';

interface Case {
  readonly name: string;
  readonly wasm: string;
  readonly args?: readonly string[];
  readonly flags?: readonly string[];
  readonly input?: string;
  /** Run callees through `host.call` and a fresh `run` rather than inline. */
  readonly outOfLine?: boolean;
}

const CASES: readonly Case[] = [
  { name: 'args and env', wasm: 'args_env', args: ['alpha', 'b c', 'FOO', 'MISSING'], flags: ['--env', 'FOO=bar baz'] },
  { name: 'stdin', wasm: 'stdin_upper', input: 'hello, interpreter\nsecond line\n'.repeat(40) },
  { name: 'clocks', wasm: 'clocks' },
  { name: 'random', wasm: 'random' },
  { name: 'exit code 7', wasm: 'exit_code', args: ['7'] },
  { name: 'many calls', wasm: 'many_calls', args: ['300'] },
  { name: 'file i/o', wasm: 'fileio', flags: ['--dir', '<tmp>::/data'] },
  { name: 'guest closes stdout', wasm: 'close_stdout' },
  { name: 'recursion', wasm: 'recursion', args: ['300'] },
  { name: 'trap: unreachable', wasm: 'trap', args: ['unreachable'] },
  { name: 'trap: divide by zero', wasm: 'trap', args: ['divide'] },
  { name: 'trap: divide by zero, callees through host.call', wasm: 'trap', args: ['divide'], outOfLine: true },
  { name: 'many calls, callees through host.call', wasm: 'many_calls', args: ['300'], outOfLine: true },
  { name: 'reactor', wasm: 'reactor', flags: ['--invoke', 'greet', '--env', 'GREETING=hi'] },
];

/** `proc_exit` was called (the log has no result for it). */
class Exit extends Error {
  constructor(readonly code: number, readonly time: bigint) {
    super(`exit ${code}`);
  }
}

function record(c: Case): string {
  const dir = tempDir();
  const trace = path.join(dir, 't.wtrace');
  const flags = (c.flags ?? []).map((f) => f.replace('<tmp>', dir));
  const r = wtrace(['record', '--detail', 'full', ...flags, '-o', trace, fixture(c.wasm), '--', ...(c.args ?? [])], { input: c.input });
  expect(fs.existsSync(trace), r.stderr).toBe(true);
  return trace;
}

/** The bytes an `fd_write(fd, iovs, count, nwritten)` passes, read from `memory`. */
function iovecBytes(memory: Uint8Array, iovs: number, count: number): Buffer {
  const view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const ptr = view.getUint32(iovs + i * 8, true);
    const len = view.getUint32(iovs + i * 8 + 4, true);
    parts.push(Buffer.from(memory.subarray(ptr, ptr + len)));
  }
  return Buffer.concat(parts);
}

function rawArg(v: Value): number | bigint {
  if (v.type === 'i32') return v.value >>> 0;
  if (v.type === 'i64') return BigInt.asUintN(64, v.value);
  throw new Error(`unexpected ${v.type} argument`);
}

interface Interpreted {
  readonly problems: string[];
  readonly end: { kind: 'exit'; code: number; time: bigint } | { kind: 'trap'; trap: TrapError };
  readonly callsAnswered: number;
}

/** Interprets the recorded program with imports answered from the log. */
function interpret(trace: string, inlineCalls = true): { run: Interpreted; calls: ImportCall[]; reader: ReturnType<TraceReader['summary']> } {
  const reader = TraceReader.open(trace);
  const summary = reader.summary();
  const imports = new Map(reader.imports().map((i) => [i.functionIndex, i]));
  const calls = [...reader.importCalls()];
  const bytes = reader.moduleBytes();
  reader.close();
  const problems: string[] = [];
  let next = 0;
  const host = new ProgramHost(ModuleCode.from(bytes), {
    inlineCalls,
    callImport: ({ funcIndex, name, args, time, host }) => {
      const logged = calls[next];
      const raw = args.map(rawArg);
      const at = `import call ${next} (${name})`;
      if (!logged) throw new Error(`${at}: not in the log`);
      next++;
      if (logged.functionIndex !== funcIndex) problems.push(`${at}: log has function ${imports.get(logged.functionIndex)?.name}`);
      if (JSON.stringify(logged.args, big) !== JSON.stringify(raw, big)) problems.push(`${at}: args ${JSON.stringify(raw, big)}, log ${JSON.stringify(logged.args, big)}`);
      if (logged.time !== time) problems.push(`${at}: at time ${time}, log ${logged.time}`);
      const memory = host.memoryBytes;
      const output = Buffer.concat(logged.output.map((o) => Buffer.from(o.bytes)));
      if (name === 'fd_write' && output.length > 0) {
        const passed = iovecBytes(memory, raw[1] as number, raw[2] as number);
        if (!passed.subarray(0, output.length).equals(output)) problems.push(`${at}: wrote ${JSON.stringify(passed.toString())}, log ${JSON.stringify(output.toString())}`);
      }
      for (const w of logged.writes) host.memoryBytes.set(w.bytes, w.address);
      if (logged.result === null) throw new Exit(raw[0] as number, time);
      return host.code.functionType(funcIndex).results.length ? [{ type: 'i32', value: logged.result | 0 }] : [];
    },
  });
  let end: Interpreted['end'];
  try {
    host.instantiate();
    if (summary.invoke === null) host.invoke('_start', []);
    else {
      if (host.code.exportedFunction('_initialize') !== undefined) host.invoke('_initialize', []);
      host.invoke(summary.invoke, []);
    }
    end = { kind: 'exit', code: 0, time: host.store.time };
  } catch (e) {
    if (e instanceof Exit) end = { kind: 'exit', code: e.code, time: e.time };
    else if (e instanceof TrapError) end = { kind: 'trap', trap: e };
    else throw e;
  }
  return { run: { problems, end, callsAnswered: next }, calls, reader: summary };
}

function big(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `${v}n` : v;
}

describe('the interpreter runs recorded C programs exactly', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { run, calls, reader: summary } = interpret(record(c), !c.outOfLine);
      expect(run.problems).toEqual([]);
      expect(run.callsAnswered).toBe(calls.length);
      const recorded = summary.outcome!;
      const count = summary.instructionCount!;
      expect(count).toBeGreaterThan(0n);
      if (recorded.kind === 'exit') {
        expect(run.end).toEqual({ kind: 'exit', code: recorded.exitCode, time: count });
      } else {
        expect(run.end.kind).toBe('trap');
        const trap = (run.end as { trap: TrapError }).trap;
        expect(trap.location).not.toBeNull();
        expect(trap.location!.funcIndex).toBe(recorded.functionIndex);
        expect(trap.location!.pc).toBe(recorded.pc);
        if (trap.kind === 'unreachable') expect(count).toBe(trap.location!.time + 1n);
        else {
          expect(trap.kind).toBe('integer divide by zero');
          expect(count <= trap.location!.time).toBe(true);
        }
      }
    });
  }
});
