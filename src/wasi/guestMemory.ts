/**
 * Typed access to a guest's linear memory for the WASI host. Every write the host makes goes
 * through here and is reported to an optional `WriteObserver`: that is how the recorder captures
 * "every byte the host wrote into linear memory during the call" without the host knowing about
 * recording. Reads and writes outside the memory throw `GuestFault`, which host functions turn
 * into errno `fault`.
 */

/** Receives each host write into guest memory, in order, after it happened. */
export interface WriteObserver {
  /** `bytes` is a view of the guest memory itself: copy it if you keep it. */
  onWrite(address: number, bytes: Uint8Array): void;
}

/** A pointer or length points outside linear memory. */
export class GuestFault extends Error {
  constructor(address: number, length: number) {
    super(`guest memory access out of bounds: ${length} bytes at ${address}`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class GuestMemory {
  /** Set by the recorder; null when nobody listens. */
  observer: WriteObserver | null = null;
  private memory: WebAssembly.Memory | null = null;
  private buffer: ArrayBuffer = new ArrayBuffer(0);
  private view = new DataView(this.buffer);
  private bytesView = new Uint8Array(this.buffer);

  /** Binds the instance's exported memory; must happen before the first host call. */
  bind(memory: WebAssembly.Memory): void {
    this.memory = memory;
    this.refresh();
  }

  /** The memory after growth: re-reads the buffer when the old one was detached. */
  private refresh(): void {
    if (this.memory === null) throw new Error('GuestMemory used before bind()');
    if (this.memory.buffer !== this.buffer) {
      this.buffer = this.memory.buffer;
      this.view = new DataView(this.buffer);
      this.bytesView = new Uint8Array(this.buffer);
    }
  }

  private check(address: number, length: number): void {
    // Growth detaches the old buffer (its length becomes 0), so a stale buffer always fails the
    // bounds test and is refreshed there: no `memory.buffer` getter call on the common path.
    if (address < 0 || length < 0 || address + length > this.buffer.byteLength || this.buffer.byteLength === 0) {
      this.refresh();
      if (address >= 0 && length >= 0 && address + length <= this.buffer.byteLength) return;
      throw new GuestFault(address, length);
    }
  }

  get size(): number {
    this.refresh();
    return this.buffer.byteLength;
  }

  readU8(address: number): number {
    this.check(address, 1);
    return this.bytesView[address];
  }
  readU16(address: number): number {
    this.check(address, 2);
    return this.view.getUint16(address, true);
  }
  readU32(address: number): number {
    this.check(address, 4);
    return this.view.getUint32(address, true);
  }
  readU64(address: number): bigint {
    this.check(address, 8);
    return this.view.getBigUint64(address, true);
  }
  /** A view into guest memory (not a copy): valid until the next call into the guest or growth. */
  bytes(address: number, length: number): Uint8Array {
    this.check(address, length);
    return this.bytesView.subarray(address, address + length);
  }
  /** Decodes UTF-8; throws `TypeError` on invalid UTF-8 (hosts answer errno `ilseq`). */
  readString(address: number, length: number): string {
    return utf8.decode(this.bytes(address, length));
  }

  writeU8(address: number, value: number): void {
    this.check(address, 1);
    this.bytesView[address] = value;
    this.observer?.onWrite(address, this.bytesView.subarray(address, address + 1));
  }
  writeU16(address: number, value: number): void {
    this.check(address, 2);
    this.view.setUint16(address, value, true);
    this.observer?.onWrite(address, this.bytesView.subarray(address, address + 2));
  }
  writeU32(address: number, value: number): void {
    this.check(address, 4);
    this.view.setUint32(address, value, true);
    this.observer?.onWrite(address, this.bytesView.subarray(address, address + 4));
  }
  writeU64(address: number, value: bigint): void {
    this.check(address, 8);
    this.view.setBigUint64(address, value, true);
    this.observer?.onWrite(address, this.bytesView.subarray(address, address + 8));
  }
  writeBytes(address: number, data: Uint8Array): void {
    this.check(address, data.length);
    this.bytesView.set(data, address);
    this.observer?.onWrite(address, this.bytesView.subarray(address, address + data.length));
  }

  /**
   * Lets `fill` write straight into guest memory (for example `fs.readSync` into a read buffer)
   * and reports the first `n` bytes, where `n` is what `fill` returns (0 <= n <= length).
   */
  fill(address: number, length: number, fill: (target: Uint8Array) => number): number {
    this.check(address, length);
    const target = this.bytesView.subarray(address, address + length);
    const n = fill(target);
    if (n > 0) this.observer?.onWrite(address, this.bytesView.subarray(address, address + n));
    return n;
  }
}
