// Speed of the activation interpreter (replay/interp/) on small hot loops, side by side with
// the same functions run natively by V8. Needs `npm run build` (it loads dist/) and wat2wasm.
//
//   node bench/interp.mjs [iterations] [program name prefix]
//
// Each program's exported `f(n)` loops n times. A query re-executes about 0.1-1 M instructions
// per `run`, so the default n gives runs of that size. Prints, per program: instructions per run
// (the interpreter's exact count), the median interpreter time and instructions per second over
// 21 runs after 5 warm-up runs (BENCH_MIN=1: the fastest run), V8's time for the same call,
// and the ratio.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ModuleCode, ProgramHost, run } from '../dist/replay/interp/index.js';

const N = Number(process.argv[2] ?? 60_000);

const PROGRAMS = {
  // A tight i32 loop: locals, constants, add, compare, br_if.
  'i32 loop': `(module (func (export "f") (param $n i32) (result i32) (local $i i32) (local $s i32)
    loop $l
      local.get $s local.get $i i32.add i32.const 7 i32.xor local.set $s
      local.get $i i32.const 1 i32.add local.tee $i
      local.get $n i32.lt_s br_if $l
    end
    local.get $s))`,
  // Memory: a store and a load per iteration.
  'i32 memory loop': `(module (memory 1) (func (export "f") (param $n i32) (result i32) (local $i i32) (local $s i32)
    loop $l
      local.get $i i32.const 1020 i32.and local.get $i i32.store
      local.get $s local.get $i i32.const 1020 i32.and i32.load i32.add local.set $s
      local.get $i i32.const 1 i32.add local.tee $i
      local.get $n i32.lt_s br_if $l
    end
    local.get $s))`,
  // f64 arithmetic and i64 through numeric.ts.
  'f64/i64 loop': `(module (func (export "f") (param $n i32) (result i32) (local $i i32) (local $x f64) (local $y i64)
    loop $l
      local.get $x f64.const 1.5 f64.mul f64.const 0.25 f64.add local.set $x
      local.get $y i64.const 3 i64.add i64.const 5 i64.xor local.set $y
      local.get $i i32.const 1 i32.add local.tee $i
      local.get $n i32.lt_s br_if $l
    end
    local.get $y i32.wrap_i64))`,
  // Calls: a loop calling a small function (ProgramHost interprets the callee).
  'call loop': `(module
    (func $add (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    (func (export "f") (param $n i32) (result i32) (local $i i32) (local $s i32)
    loop $l
      local.get $s local.get $i call $add local.set $s
      local.get $i i32.const 1 i32.add local.tee $i
      local.get $n i32.lt_s br_if $l
    end
    local.get $s))`,
};

function assemble(wat) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wtrace-bench-'));
  try {
    fs.writeFileSync(path.join(dir, 'm.wat'), wat);
    execFileSync('wat2wasm', [path.join(dir, 'm.wat'), '-o', path.join(dir, 'm.wasm')]);
    return fs.readFileSync(path.join(dir, 'm.wasm'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const only = process.argv[3];
for (const [name, wat] of Object.entries(PROGRAMS)) {
  if (only && !name.startsWith(only)) continue;
  const bytes = assemble(wat);
  const code = ModuleCode.from(bytes);
  const host = new ProgramHost(code);
  host.instantiate();
  const f = code.exportedFunction('f');
  const native = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f;
  const arg = { type: 'i32', value: N };
  let count = 0n;
  let result;
  const interp = () => {
    const state = code.entryState(f, [arg], 0n);
    const t = performance.now();
    const stop = run(code, state, host);
    const ms = performance.now() - t;
    count = state.time;
    result = stop.results[0].value;
    return ms;
  };
  const v8 = () => {
    const t = performance.now();
    const r = native(N);
    const ms = performance.now() - t;
    if (r !== result) throw new Error(`${name}: V8 ${r}, interpreter ${result}`);
    return ms;
  };
  for (let i = 0; i < 5; i++) {
    interp();
    v8();
  }
  const runs = Array.from({ length: 21 }, interp);
  const ti = process.env.BENCH_MIN ? Math.min(...runs) : median(runs);
  const tv = median(Array.from({ length: 21 }, v8));
  const rate = Number(count) / (ti / 1000);
  console.log(
    `${name.padEnd(16)} ${String(count).padStart(9)} instr/run  interp ${ti.toFixed(2).padStart(7)} ms ` +
      `(${(rate / 1e6).toFixed(1)} M instr/s)  V8 ${tv.toFixed(3).padStart(6)} ms  ratio ${(ti / tv).toFixed(0)}x`,
  );
}
