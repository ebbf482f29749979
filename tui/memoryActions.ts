/**
 * Memory from the UI: show an address (`m`), toggle a watchpoint (`w`), go back to the last
 * write of an address (`W`). Addresses may name the selected frame's Wasm locals, the Wasm
 * globals, or C variables (the selected frame's, then the globals).
 */
import type { SourceValue, WriteRecord } from './engineApi.js';
import { describePc } from './format/location.js';
import { byteHex, formatTime, hex } from './format/values.js';
import { type AddressExpr, parseAddress, parseWatch, PromptInputError } from './parseInput.js';
import type { DebugSession } from './session.js';

/** The address `expr` names now, checked against the memory's size. */
export function evaluateAddress(session: DebugSession, expr: AddressExpr): number {
  return resolveAddress(session, expr).address;
}

/** The address `expr` names now and, for a C variable, its size (else null). */
export function resolveAddress(session: DebugSession, expr: AddressExpr): { address: number; size: number | null } {
  let base: number;
  let size: number | null = null;
  if (expr.kind === 'number') base = expr.value;
  else if (expr.kind === 'local') {
    const frame = session.selectedFrame();
    const v = frame?.locals[expr.index];
    if (!v) throw new PromptInputError(`the selected frame has no local ${expr.index}`);
    if (v.type === 'i32') base = v.value >>> 0;
    else if (v.type === 'i64') base = Number(BigInt.asUintN(64, v.value));
    else throw new PromptInputError(`local ${expr.index} is ${v.type}, not an address`);
  } else if (expr.kind === 'global') {
    const g = session.data().globals.find((x) => x.index === expr.index);
    if (!g) throw new PromptInputError(`there is no global ${expr.index}`);
    if (g.value === null || (g.type !== 'i32' && g.type !== 'i64')) throw new PromptInputError(`global ${expr.index} holds no known integer`);
    base = g.type === 'i32' ? Number(g.value) >>> 0 : Number(BigInt.asUintN(64, BigInt(g.value)));
  } else {
    const v = cValue(session, expr.path, expr.deref);
    base = v.address;
    size = v.size > 0 ? v.size : null;
  }
  const address = base + expr.offset;
  const memorySize = session.debuggee.memorySize();
  if (address < 0 || address >= memorySize) {
    throw new PromptInputError(`${hex(address)} is outside linear memory (size ${hex(memorySize)})`);
  }
  return { address, size };
}

/** The C value `path` names (the selected frame's variables first, then the globals), with its address. */
function cValue(session: DebugSession, path: readonly string[], deref: boolean): SourceValue & { address: number } {
  const d = session.debuggee;
  const frames = d.frames();
  const index = Math.min(session.getState().frameIndex, frames.length - 1);
  const scope = [...(index >= 0 ? d.variables(index) : []), ...d.globalVariables()];
  const spelled = (deref ? '*' : '') + path.join('.').replace(/\.\[/g, '[');
  let v: SourceValue | undefined = scope.find((x) => x.name === path[0]);
  if (!v) throw new PromptInputError(`no C variable ${path[0]} in scope here`);
  for (const part of path.slice(1)) {
    const next: SourceValue | undefined = v.children.find((c) => c.name === part);
    if (!next) throw new PromptInputError(`${v.name} (${v.type}) has no member or element ${part}`);
    v = next;
  }
  if (deref) {
    const target = v.children.find((c) => c.name.startsWith('*'));
    if (!target) throw new PromptInputError(`${spelled}: ${v.name} (${v.type}) is not a pointer to data, or it is null`);
    v = target;
  }
  if (v.address === null) throw new PromptInputError(`${spelled} is not in linear memory (${v.available ? 'it is held in a Wasm local' : v.value})`);
  return v as SourceValue & { address: number };
}

/** `m`: the memory pane shows `text`'s address. */
export function showMemory(session: DebugSession, text: string): void {
  try {
    session.set({ memoryAddress: evaluateAddress(session, parseAddress(text)), message: null });
  } catch (e) {
    session.fail(e);
  }
}

/** `w`: removes the watchpoint at the address, or adds one of the given size (default 4). */
export function toggleWatchpoint(session: DebugSession, text: string): void {
  const d = session.debuggee;
  try {
    const { address: expr, size: asked } = parseWatch(text);
    const { address, size: cSize } = resolveAddress(session, expr);
    const size = asked ?? cSize ?? 4;
    const existing = d.watchpoints().filter((w) => w.address === address);
    if (existing.length > 0) {
      for (const w of existing) d.removeWatchpoint(w.id);
      session.report(`deleted watchpoint ${existing.map((w) => w.id).join(', ')} at ${hex(address)}`);
    } else {
      const w = d.addWatchpoint(address, size);
      session.report(`watchpoint ${w.id}: ${hex(w.address)} (${w.size} bytes); c / C stop where it is written`);
    }
  } catch (e) {
    session.fail(e);
  }
}

/**
 * `W`: goes to the time of the last write of the byte at the address (empty: the memory pane's
 * address) and says what wrote it; says so and stays when it was never written.
 */
export async function goToLastWrite(session: DebugSession, text: string): Promise<void> {
  try {
    const shown = session.getState().memoryAddress;
    if (text.trim() === '' && shown === null) throw new PromptInputError('type an address (no memory view is open)');
    const address = text.trim() === '' ? shown! : evaluateAddress(session, parseAddress(text));
    const write = session.debuggee.lastWriteBefore(address);
    if (!write) {
      session.report(`${hex(address)} was not written between time 0 and now`);
      return;
    }
    await session.motion({ kind: 'seek', time: write.time });
    if (session.getState().message?.kind !== 'error') session.report(describeWrite(session, address, write));
  } catch (e) {
    session.fail(e);
  }
}

/** `last write of 0x1000: store at time 1,234 by debug_target.c:12 in main, 00 -> 2a` */
export function describeWrite(session: DebugSession, address: number, w: WriteRecord): string {
  const by = w.pc === null ? `the host (import call ${w.importCall})` : describePc(session.debuggee.module, w.pc);
  return `last write of ${hex(address)}: ${w.kind} at time ${formatTime(w.time)} by ${by}, ${byteHex(w.oldValue)} -> ${byteHex(w.newValue)}`;
}
