import { ByteBuffer } from "../byte-buffer.js";

/**
 * A growable byte buffer for writing protobuf (proto3 wire format) without a schema runtime:
 * tags and constant fields are copied as precomputed bytes, varints and fixed-width numbers
 * written in place. Nested messages are written after a reserved length (see `open`/`close`).
 */
export class ProtoBytes extends ByteBuffer {
  /** A non-negative integer below 2^53 as a varint (room must be ensured: 8 bytes). */
  varint(n: number): void {
    const buf = this.buf;
    let p = this.pos;
    if (n < 0x80) {
      buf[p] = n;
      this.pos = p + 1;
      return;
    }
    while (n >= 0x80) {
      buf[p++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    buf[p++] = n;
    this.pos = p;
  }

  /** A 32-bit value, little-endian (fixed32). */
  fixed32(n: number): void {
    const buf = this.buf;
    const p = this.pos;
    buf[p] = n & 255;
    buf[p + 1] = (n >>> 8) & 255;
    buf[p + 2] = (n >>> 16) & 255;
    buf[p + 3] = n >>> 24;
    this.pos = p + 4;
  }

  /** A 32-bit value, big-endian (4 bytes of an id). */
  word(n: number): void {
    const buf = this.buf;
    const p = this.pos;
    buf[p] = n >>> 24;
    buf[p + 1] = (n >>> 16) & 255;
    buf[p + 2] = (n >>> 8) & 255;
    buf[p + 3] = n & 255;
    this.pos = p + 4;
  }

  /**
   * Epoch microseconds (an integer below 2^53) as fixed64 nanoseconds (× 1000, exact: the
   * product is built from 32-bit halves, which doubles hold exactly).
   */
  nanosFromMicros(us: number): void {
    const high = Math.floor(us / 0x1_0000_0000);
    const lowNs = (us - high * 0x1_0000_0000) * 1000;
    const carry = Math.floor(lowNs / 0x1_0000_0000);
    this.fixed32(lowNs - carry * 0x1_0000_0000);
    this.fixed32(high * 1000 + carry);
  }

  /** A length-delimited string field: tag byte(s), length, UTF-8 (ensures room itself). */
  stringField(tag: number, s: string): void {
    const n = Buffer.byteLength(s);
    this.ensure(n + 12);
    this.buf[this.pos++] = tag;
    this.varint(n);
    this.pos += this.buf.write(s, this.pos, "utf8");
  }

  /**
   * Starts a length-delimited field: writes the tag and reserves two bytes for the length.
   * Returns the position to hand to `close`.
   */
  open(tag: number): number {
    this.buf[this.pos++] = tag;
    const at = this.pos;
    this.pos += 2;
    return at;
  }

  /** Ends a field started with `open`: writes its length, moving the content if it needs other than 2 bytes. */
  close(at: number): void {
    const start = at + 2;
    const n = this.pos - start;
    const buf = this.buf;
    if (n < 0x80) {
      buf[at] = n;
      buf.copyWithin(at + 1, start, this.pos);
      this.pos--;
    } else if (n < 0x4000) {
      buf[at] = (n & 0x7f) | 0x80;
      buf[at + 1] = n >>> 7;
    } else {
      const size = varintSize(n);
      this.ensure(size - 2);
      this.buf.copyWithin(at + size, start, this.pos);
      this.pos += size - 2;
      const end = this.pos;
      this.pos = at;
      this.varint(n);
      this.pos = end;
    }
  }
}

/** Bytes a varint of n takes. */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

/** Builds constant protobuf fragments once (outside the hot loop). */
export class ProtoBuilder {
  private readonly _parts: number[] = [];

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  varint(n: number): this {
    while (n >= 0x80) {
      this._parts.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this._parts.push(n);
    return this;
  }

  raw(bytes: Uint8Array | readonly number[]): this {
    for (const b of bytes) this._parts.push(b);
    return this;
  }

  /** A length-delimited field of UTF-8 text. */
  string(field: number, s: string): this {
    return this.message(field, Buffer.from(s, "utf8"));
  }

  /** A length-delimited field of bytes (a nested message already encoded). */
  message(field: number, body: Uint8Array | readonly number[]): this {
    this.tag(field, 2).varint(body.length);
    return this.raw(body);
  }

  fixed32(field: number, n: number): this {
    this.tag(field, 5);
    return this.raw([n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24]);
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this._parts);
  }
}

/** Wire types. */
export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const I32 = 5;
