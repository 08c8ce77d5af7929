/**
 * A growable byte buffer for writing JSON text without building JavaScript strings: constant
 * fragments are copied as bytes, numbers and hex ids written digit by digit. (Concatenating a
 * string per span, then flattening and encoding it, costs several times more.)
 */
export class JsonBytes {
  buf: Buffer;
  pos = 0;

  constructor(size = 65_536) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Copies bytes (room must be ensured). */
  bytes(b: Uint8Array): void {
    const buf = this.buf;
    let p = this.pos;
    const n = b.length;
    if (n > 8) {
      buf.set(b, p);
      this.pos = p + n;
      return;
    }
    for (let i = 0; i < n; i++) buf[p++] = b[i];
    this.pos = p;
  }

  /** An ASCII-only string, e.g. a hex id (room must be ensured). */
  ascii(s: string): void {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Any string as UTF-8 (ensures room itself). */
  utf8(s: string): void {
    this.ensure(Buffer.byteLength(s));
    this.pos += this.buf.write(s, this.pos, "utf8");
  }

  /** A non-negative integer below 2^53 in decimal (room must be ensured: 16 bytes). */
  uint(n: number): void {
    if (n < 100_000_000) {
      this._small(n);
      return;
    }
    const high = Math.floor(n / 100_000_000);
    this._small(high);
    this._padded8(n - high * 100_000_000);
  }

  /** 8 lowercase hex digits of a 32-bit unsigned value. */
  hex8(n: number): void {
    const buf = this.buf;
    const p = this.pos;
    for (let i = 7; i >= 0; i--) {
      buf[p + i] = HEX_DIGITS[n & 15];
      n >>>= 4;
    }
    this.pos = p + 8;
  }

  /** A copy of what was written, and a reset for the next payload. */
  take(): Uint8Array {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    this.pos = 0;
    return out;
  }

  private _small(n: number): void {
    const buf = this.buf;
    let digits = 1;
    for (let t = 10; t <= n; t *= 10) digits++;
    let p = this.pos + digits;
    this.pos = p;
    do {
      const q = (n / 10) | 0;
      buf[--p] = 48 + n - q * 10;
      n = q;
    } while (n > 0);
  }

  private _padded8(n: number): void {
    const buf = this.buf;
    const p = this.pos;
    for (let i = 7; i >= 0; i--) {
      const q = (n / 10) | 0;
      buf[p + i] = 48 + n - q * 10;
      n = q;
    }
    this.pos = p + 8;
  }
}

const HEX_DIGITS = Uint8Array.from("0123456789abcdef", (c) => c.charCodeAt(0));

/** UTF-8 bytes of a string (for constant fragments). */
export function utf8(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "utf8"));
}
