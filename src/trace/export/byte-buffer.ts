/** Payload buffers kept for reuse per encoder (the one being written is extra). */
const MAX_SPARE = 1;

/**
 * The growable output buffer the JSON and protobuf writers share. Each payload is taken as a
 * view of the buffer it was written in, and the writer continues in a spare one: a payload that
 * was sent and is no longer read can be handed back (`recycle`), so a steady export reuses a few
 * buffers instead of leaving one per request to the garbage collector.
 */
export class ByteBuffer {
  // allocUnsafeSlow: every buffer owns its memory (never a slice of Node's shared pool), so a
  // recycled payload's whole ArrayBuffer is this writer's to reuse.
  buf: Buffer;
  /** A view of `buf` for the 32-bit word and digit-pair writes (several times faster than byte stores). */
  view: DataView;
  pos = 0;
  private readonly _spare: Buffer[] = [];

  constructor(size = 65_536) {
    this.buf = Buffer.allocUnsafeSlow(size);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this._use(next);
  }

  /** Copies bytes (room must be ensured). Short fragments byte by byte: cheaper than a set() call. */
  bytes(b: Uint8Array): void {
    const buf = this.buf;
    let p = this.pos;
    const n = b.length;
    if (n > 24) {
      buf.set(b, p);
      this.pos = p + n;
      return;
    }
    for (let i = 0; i < n; i++) buf[p++] = b[i];
    this.pos = p;
  }

  /** What was written from `from` (a view, not a copy), and a fresh buffer for the next payload. */
  take(from = 0): Uint8Array {
    const out = this.buf.subarray(from, this.pos);
    this._use(this._spare.pop() ?? Buffer.allocUnsafeSlow(this.buf.length));
    this.pos = 0;
    return out;
  }

  /** A payload from `take` that nothing reads any more: its buffer is written again. */
  recycle(payload: Uint8Array): void {
    const memory = payload.buffer;
    if (this._spare.length >= MAX_SPARE || memory.byteLength < this.buf.length || !(memory instanceof ArrayBuffer)) return;
    this._spare.push(Buffer.from(memory, 0, memory.byteLength));
  }

  /** Switches to another buffer. */
  private _use(next: Buffer): void {
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }
}
