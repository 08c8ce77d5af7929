import { ByteBuffer } from "../byte-buffer.js";
import { SecondsFragment, putUint } from "../json-fields.js";

/**
 * A growable byte buffer for writing JSON text without building JavaScript strings: constant
 * fragments are copied as bytes, numbers written by json-fields.ts. (Concatenating a
 * string per span, then flattening and encoding it, costs several times more.)
 */
export class JsonBytes extends ByteBuffer {
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
    this.pos = putUint(this.buf, this.view, this.pos, n);
  }

  /** Epoch microseconds in decimal (room must be ensured: 24 bytes; see SecondsFragment). */
  micros(us: number): void {
    this.pos = this._micros.put(this.buf, this.view, this.pos, us);
  }

  private readonly _micros = new SecondsFragment("");
}

/** UTF-8 bytes of a string (for constant fragments). */
export function utf8(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "utf8"));
}
