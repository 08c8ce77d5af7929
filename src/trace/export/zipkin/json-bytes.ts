import { ByteBuffer } from "../byte-buffer.js";

/**
 * A growable byte buffer for writing JSON text without building JavaScript strings: constant
 * fragments are copied as bytes, numbers and hex ids written digit by digit. (Concatenating a
 * string per span, then flattening and encoding it, costs several times more.)
 */
export class JsonBytes extends ByteBuffer {
  /** A view of `buf` for the word and digit-pair writes of json-fields.ts. */
  view!: DataView;

  constructor(size = 65_536) {
    super(size);
    this._use(this.buf);
  }

  protected override _use(next: Buffer): void {
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
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

  /** 8 lowercase hex digits of a 32-bit unsigned value (two digits per table lookup). */
  hex8(n: number): void {
    const buf = this.buf;
    const p = this.pos;
    let b = (n >>> 23) & 510;
    buf[p] = HEX_PAIRS[b];
    buf[p + 1] = HEX_PAIRS[b + 1];
    b = (n >>> 15) & 510;
    buf[p + 2] = HEX_PAIRS[b];
    buf[p + 3] = HEX_PAIRS[b + 1];
    b = (n >>> 7) & 510;
    buf[p + 4] = HEX_PAIRS[b];
    buf[p + 5] = HEX_PAIRS[b + 1];
    b = (n << 1) & 510;
    buf[p + 6] = HEX_PAIRS[b];
    buf[p + 7] = HEX_PAIRS[b + 1];
    this.pos = p + 8;
  }


  /**
   * Epoch microseconds (16 digits today): the leading digits (whole seconds) change once a
   * second, so they are kept as bytes and only the last six digits are written per number.
   */
  micros(us: number): void {
    const seconds = Math.floor(us / 1_000_000);
    if (seconds !== this._second) {
      this._second = seconds;
      const text = String(seconds);
      this._secondBytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    }
    const digits = this._secondBytes;
    const buf = this.buf;
    let p = this.pos;
    if (seconds > 0) for (let i = 0; i < digits.length; i++) buf[p++] = digits[i];
    let n = us - seconds * 1_000_000;
    if (seconds === 0) {
      this.pos = p;
      this._small(n);
      return;
    }
    for (let i = 5; i >= 0; i--) {
      const q = (n / 10) | 0;
      buf[p + i] = 48 + n - q * 10;
      n = q;
    }
    this.pos = p + 6;
  }

  private _second = -1;
  private _secondBytes: Uint8Array = new Uint8Array(0);

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

/** The two hex digits of each byte value b at [2b, 2b + 1]. */
const HEX_PAIRS = Uint8Array.from({ length: 512 }, (_, i) => "0123456789abcdef".charCodeAt(i & 1 ? (i >>> 1) & 15 : i >>> 5));

/** UTF-8 bytes of a string (for constant fragments). */
export function utf8(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "utf8"));
}
