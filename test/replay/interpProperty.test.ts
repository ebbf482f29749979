/**
 * Property: random small i32 programs (arithmetic including trapping division, locals, `if`/
 * `else`, counted loops with early exits, `br_table`, `select`, early `return`, calls of an
 * import directly and through a defined function) give the same result (or the same trap) on
 * the interpreter as on V8, the interpreter's count equals the `inputs`-instrumented module's
 * `__wtrace_time` (a lower bound at a trap), and every import call sees the same argument at
 * the same time; with callees run inline and through `host.call`. Programs are written as WAT
 * and assembled with wat2wasm.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { instrument } from '../../instrument/index.js';
import { TrapError } from '../../replay/interp/index.js';
import { haveWat2wasm } from '../instrument/wat.js';
import { assembleWat, i32, programHost } from './interpHelpers.js';

type Expr =
  | { readonly k: 'const'; readonly v: number }
  | { readonly k: 'get'; readonly v: number }
  | { readonly k: 'un'; readonly op: string; readonly a: Expr }
  | { readonly k: 'bin'; readonly op: string; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'select'; readonly a: Expr; readonly b: Expr; readonly c: Expr }
  | { readonly k: 'tee'; readonly v: number; readonly a: Expr }
  | { readonly k: 'call'; readonly f: '$tick' | '$h'; readonly a: Expr };

type Stmt =
  | { readonly k: 'set'; readonly v: number; readonly e: Expr }
  | { readonly k: 'if'; readonly c: Expr; readonly then: readonly Stmt[]; readonly else: readonly Stmt[] | null }
  | { readonly k: 'loop'; readonly n: number; readonly body: readonly Stmt[] }
  | { readonly k: 'break'; readonly e: Expr }
  | { readonly k: 'table'; readonly e: Expr; readonly first: readonly Stmt[]; readonly second: readonly Stmt[] }
  | { readonly k: 'return'; readonly e: Expr };

/** Parameters $p0 $p1, locals $v0..$v2: the variables expressions read and statements write. */
const VARS = ['$p0', '$p1', '$v0', '$v1', '$v2'];
const UNARY = ['eqz', 'clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s'];
const BINARY = [
  'add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr', 'eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u',
  'le_s', 'le_u', 'ge_s', 'ge_u', 'div_s', 'div_u', 'rem_s', 'rem_u',
];
const MAX_LOOPS = 4;

const int = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-0x80000000, 0x7fffffff, 31, 32, 255, 65535), fc.integer({ min: -0x80000000, max: 0x7fffffff }));
const variable = fc.integer({ min: 0, max: VARS.length - 1 });

/** Expressions up to `depth` levels deep (leaves at 0). */
function exprArb(depth: number): fc.Arbitrary<Expr> {
  const leaf = fc.oneof(
    fc.record({ k: fc.constant('const' as const), v: int }),
    fc.record({ k: fc.constant('get' as const), v: variable }),
  );
  if (depth === 0) return leaf;
  const sub = exprArb(depth - 1);
  return fc.oneof(
    { arbitrary: leaf, weight: 3 },
    { arbitrary: fc.record({ k: fc.constant('un' as const), op: fc.constantFrom(...UNARY), a: sub }), weight: 1 },
    { arbitrary: fc.record({ k: fc.constant('bin' as const), op: fc.constantFrom(...BINARY), a: sub, b: sub }), weight: 4 },
    { arbitrary: fc.record({ k: fc.constant('select' as const), a: sub, b: sub, c: sub }), weight: 1 },
    { arbitrary: fc.record({ k: fc.constant('tee' as const), v: variable, a: sub }), weight: 1 },
    { arbitrary: fc.record({ k: fc.constant('call' as const), f: fc.constantFrom('$tick' as const, '$h' as const), a: sub }), weight: 1 },
  );
}

/** Statement lists nested up to `depth` levels of `if`/loop/`br_table`. */
function stmtsArb(depth: number): fc.Arbitrary<readonly Stmt[]> {
  const e = exprArb(2);
  const simple = [
    { arbitrary: fc.record({ k: fc.constant('set' as const), v: variable, e }), weight: 6 },
    { arbitrary: fc.record({ k: fc.constant('break' as const), e }), weight: 1 },
    { arbitrary: fc.record({ k: fc.constant('return' as const), e }), weight: 1 },
  ];
  if (depth === 0) return fc.array(fc.oneof(...simple), { maxLength: 3 });
  const inner = stmtsArb(depth - 1);
  const stmt: fc.Arbitrary<Stmt> = fc.oneof(
    ...simple,
    { arbitrary: fc.record({ k: fc.constant('if' as const), c: e, then: inner, else: fc.option(inner) }), weight: 2 },
    { arbitrary: fc.record({ k: fc.constant('loop' as const), n: fc.integer({ min: 0, max: 8 }), body: inner }), weight: 2 },
    { arbitrary: fc.record({ k: fc.constant('table' as const), e, first: inner, second: inner }), weight: 1 },
  );
  return fc.array(stmt, { minLength: 1, maxLength: 4 });
}

const stmts = stmtsArb(3);

function renderExpr(e: Expr): string {
  switch (e.k) {
    case 'const': return `(i32.const ${e.v})`;
    case 'get': return `(local.get ${VARS[e.v]})`;
    case 'un': return `(i32.${e.op} ${renderExpr(e.a)})`;
    case 'bin': return `(i32.${e.op} ${renderExpr(e.a)} ${renderExpr(e.b)})`;
    case 'select': return `(select ${renderExpr(e.a)} ${renderExpr(e.b)} ${renderExpr(e.c)})`;
    case 'tee': return `(local.tee ${VARS[e.v]} ${renderExpr(e.a)})`;
    case 'call': return `(call ${e.f} ${renderExpr(e.a)})`;
  }
}

/** Renders statements; `loops` is the nesting of counted loops (their exit labels and counters). */
function renderStmts(ss: readonly Stmt[], loops: number, labels: { next: number }): string {
  return ss.map((s) => renderStmt(s, loops, labels)).join('\n');
}

function renderStmt(s: Stmt, loops: number, labels: { next: number }): string {
  switch (s.k) {
    case 'set': return `(local.set ${VARS[s.v]} ${renderExpr(s.e)})`;
    case 'return': return `(return ${renderExpr(s.e)})`;
    case 'break': return loops > 0 ? `(br_if $exit${loops - 1} ${renderExpr(s.e)})` : `(drop ${renderExpr(s.e)})`;
    case 'if':
      return `(if ${renderExpr(s.c)} (then ${renderStmts(s.then, loops, labels)})${s.else ? ` (else ${renderStmts(s.else, loops, labels)})` : ''})`;
    case 'loop': {
      if (loops >= MAX_LOOPS) return renderStmts(s.body, loops, labels);
      const c = `$c${loops}`;
      return `(local.set ${c} (i32.const ${s.n}))
        (block $exit${loops} (loop $again${loops}
          (br_if $exit${loops} (i32.eqz (local.get ${c})))
          (local.set ${c} (i32.sub (local.get ${c}) (i32.const 1)))
          ${renderStmts(s.body, loops + 1, labels)}
          (br $again${loops})))`;
    }
    case 'table': {
      const a = `$t${labels.next++}`;
      const b = `$t${labels.next++}`;
      return `(block ${a} (block ${b} (br_table ${b} ${a} ${b} ${renderExpr(s.e)}))
          ${renderStmts(s.first, loops, labels)})
        ${renderStmts(s.second, loops, labels)}`;
    }
  }
}

function program(body: readonly Stmt[]): string {
  const counters = Array.from({ length: MAX_LOOPS }, (_, i) => `(local $c${i} i32)`).join(' ');
  return `(module (import "env" "tick" (func $tick (param i32) (result i32)))
    (func $h (param i32) (result i32) (i32.add (call $tick (i32.mul (local.get 0) (i32.const 3))) (i32.const 1)))
    (func (export "f") (param $p0 i32) (param $p1 i32) (result i32) (local $v0 i32) (local $v1 i32) (local $v2 i32) ${counters}
    ${renderStmts(body, 0, { next: 0 })}
    (i32.add (local.get $v0) (i32.xor (local.get $v1) (local.get $v2)))))`;
}

/** The import both sides call: some arithmetic on the argument. */
const tick = (x: number) => (Math.imul(x, 7) + 3) | 0;

/** V8's trap message as the interpreter's trap kind. */
function trapKind(message: string): string {
  if (/divide by zero|remainder by zero/.test(message)) return 'integer divide by zero';
  if (/unrepresentable/.test(message)) return 'integer overflow';
  return message;
}

describe.skipIf(!haveWat2wasm && !process.env.CI)('random i32 programs', () => {
  test.prop([stmts, fc.integer(), fc.integer()], { numRuns: 200 })('same result and count as instrumented V8', async (body, x, y) => {
    const wasm = assembleWat(program(body));
    const result = await instrument(wasm, { detail: 'inputs' });
    let time: WebAssembly.Global | undefined;
    const v8Ticks: string[] = [];
    const { instance } = await WebAssembly.instantiate(result.bytes, {
      env: { tick: (x: number) => (v8Ticks.push(`${x}@${time!.value}`), tick(x)) },
    });
    time = instance.exports[result.timeExport] as WebAssembly.Global;
    const f = instance.exports.f as (a: number, b: number) => number;
    let v8: { value: number } | { trap: string };
    try {
      v8 = { value: f(x, y) };
    } catch (e) {
      v8 = { trap: trapKind((e as Error).message) };
    }
    const counted = time.value as bigint;

    // Twice: callees run inline by the interpreter, and through host.call and a fresh run.
    const ends: string[] = [];
    for (const inline of [true, false]) {
      const ticks: string[] = [];
      const host = programHost(wasm, ({ args, time: at }) => {
        const a = (args[0] as { value: number }).value;
        ticks.push(`${a}@${at}`);
        return [i32(tick(a))];
      }, inline);
      try {
        const results = host.invoke('f', [i32(x), i32(y)]);
        expect(v8).toEqual({ value: (results[0] as { value: number }).value });
        expect(host.store.time).toBe(counted);
        ends.push(`returned at ${host.store.time}`);
      } catch (e) {
        if (!(e instanceof TrapError)) throw e;
        expect(v8).toEqual({ trap: e.kind });
        expect(counted <= e.location!.time).toBe(true);
        ends.push(e.message);
      }
      expect(ticks).toEqual(v8Ticks);
    }
    expect(ends[1]).toBe(ends[0]);
  });
});
