/**
 * Numbers as the panes print them: Wasm values, globals, times and addresses. Pure; no I/O.
 */
import type { GlobalState, Value } from '../engineApi.js';

/** `0x` and lowercase hex, zero-padded to `digits`. */
export function hex(n: number | bigint, digits = 0): string {
  return '0x' + n.toString(16).padStart(digits, '0');
}

/** A time with thousands separators: `12,345`. */
export function formatTime(t: bigint): string {
  // Not toLocaleString: Intl is slow enough to show in a redraw.
  return t.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A byte as two hex digits. */
export function byteHex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/**
 * A Wasm value for the locals pane: integers signed in decimal, with hex when that says more
 * (negative or 10 and above); floats decoded from their exact bits; v128 as hex bytes; refs as
 * `null` or their kind.
 */
export function formatValue(v: Value): string {
  switch (v.type) {
    case 'i32': {
      const signed = v.value | 0;
      return withHex(signed, (v.value >>> 0).toString(16));
    }
    case 'i64': {
      const signed = BigInt.asIntN(64, v.value);
      return withHex(signed, BigInt.asUintN(64, v.value).toString(16));
    }
    case 'f32': {
      const view = new DataView(new ArrayBuffer(4));
      view.setUint32(0, v.bits >>> 0, true);
      return formatFloat(view.getFloat32(0, true));
    }
    case 'f64': {
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, BigInt.asUintN(64, v.bits), true);
      return formatFloat(view.getFloat64(0, true));
    }
    case 'v128':
      return '0x' + [...v.bytes].reverse().map(byteHex).join('');
    case 'ref':
      return v.isNull ? 'null' : refName(v.refType);
  }
}

/** A global's value, or `?` when the timeline cannot know it (imported, never set, no constant). */
export function formatGlobalValue(g: GlobalState): string {
  if (g.value === null) return g.bytes ? '0x' + [...g.bytes].reverse().map(byteHex).join('') : '?';
  if (g.type === 'f32' || g.type === 'f64') return formatFloat(Number(g.value));
  if (g.type === 'i64') {
    const v = BigInt(g.value);
    return withHex(v, BigInt.asUintN(64, v).toString(16));
  }
  const v = Number(g.value);
  return withHex(v, (v >>> 0).toString(16));
}

function withHex(signed: number | bigint, unsignedHex: string): string {
  const small = signed >= 0 && signed < 10;
  return small ? String(signed) : `${signed} (0x${unsignedHex})`;
}

function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

function refName(refType: number): string {
  if (refType === 0x70) return '<funcref>';
  if (refType === 0x6f) return '<externref>';
  if (refType === 0x69) return '<exnref>';
  return '<ref>';
}
