/*
 * Field writers for the JSON encoders (Zipkin, OTLP JSON), on a buffer position held in a local:
 * each takes the buffer's DataView (and the Buffer), a position, and returns the position after
 * what it wrote. Constant text is copied by whole 32-bit words, digits two at a time: under
 * callgrind a byte-by-byte loop over a typed array costs about 20 instructions per byte, a
 * word written through a DataView about 25, so these write 4 bytes for about what a byte loop pays for one.
 *
 * Whole words may run up to 3 bytes past a fragment's end: callers ensure room for the largest
 * fragment they write plus FRAGMENT_SLACK. What lies past the position is overwritten by the next
 * field or never sent (a payload ends at the position).
 */

/** Bytes past a fragment's end that putFragment may overwrite. */
export const FRAGMENT_SLACK = 4;

/** Fragments longer than this are copied with one `set` (a memcpy), cheaper than the word loop past it (under callgrind a `set` costs about 230 instructions whatever the length, a word about 25). */
const WORD_LIMIT = 32;

/** A constant piece of ASCII or UTF-8 text, as bytes and as little-endian 32-bit words (zero padded). */
export class Fragment {
  readonly bytes: Uint8Array;
  readonly words: Uint32Array;
  readonly length: number;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.length = bytes.length;
    this.words = new Uint32Array((bytes.length + 3) >>> 2);
    this.refresh();
  }

  /** Takes `bytes` again after its owner rewrote them in place (a fragment reused, not rebuilt). */
  refresh(): void {
    const b = this.bytes;
    const n = b.length;
    for (let i = 0, at = 0; i < this.words.length; i++, at += 4) {
      // little-endian, zero past the end
      this.words[i] = (b[at] | (at + 1 < n ? b[at + 1] << 8 : 0) | (at + 2 < n ? b[at + 2] << 16 : 0) | (at + 3 < n ? b[at + 3] << 24 : 0)) >>> 0;
    }
  }
}

/** A Fragment of a string's UTF-8 bytes. */
export function fragment(text: string): Fragment {
  return new Fragment(new Uint8Array(Buffer.from(text, "utf8")));
}

/** Writes a fragment at p (room: its length plus FRAGMENT_SLACK). */
export function putFragment(buf: Buffer, view: DataView, p: number, f: Fragment): number {
  const n = f.length;
  if (n > WORD_LIMIT) {
    buf.set(f.bytes, p);
    return p + n;
  }
  const words = f.words;
  for (let i = 0; i < words.length; i++) view.setUint32(p + i * 4, words[i], true);
  return p + n;
}

/** The two hex digits of each byte value, as a big-endian 16-bit value (first digit in the high byte). */
const HEX2 = Uint16Array.from({ length: 256 }, (_, b) => {
  const digit = (d: number): number => "0123456789abcdef".charCodeAt(d);
  return (digit(b >>> 4) << 8) | digit(b & 15);
});

/** The two decimal digits of 0..99, as a big-endian 16-bit value. */
const DEC2 = Uint16Array.from({ length: 100 }, (_, n) => ((48 + Math.floor(n / 10)) << 8) | (48 + (n % 10)));

/** 8 lowercase hex digits of a 32-bit unsigned value. */
export function putHex8(view: DataView, p: number, n: number): number {
  view.setUint16(p, HEX2[n >>> 24]);
  view.setUint16(p + 2, HEX2[(n >>> 16) & 255]);
  view.setUint16(p + 4, HEX2[(n >>> 8) & 255]);
  view.setUint16(p + 6, HEX2[n & 255]);
  return p + 8;
}

/** Exactly 6 decimal digits of 0 ≤ n < 1,000,000 (zero padded). */
export function putDigits6(view: DataView, p: number, n: number): number {
  const high = (n / 10_000) | 0;
  const rest = n - high * 10_000;
  const middle = (rest / 100) | 0;
  view.setUint16(p, DEC2[high]);
  view.setUint16(p + 2, DEC2[middle]);
  view.setUint16(p + 4, DEC2[rest - middle * 100]);
  return p + 6;
}

/** A non-negative integer below 2^53 in decimal (room: 16 bytes). */
export function putUint(buf: Buffer, view: DataView, p: number, n: number): number {
  if (n < 10) {
    buf[p] = 48 + n;
    return p + 1;
  }
  if (n < 100) {
    view.setUint16(p, DEC2[n]);
    return p + 2;
  }
  if (n < 100_000_000) return putSmall(buf, view, p, n);
  const high = Math.floor(n / 100_000_000);
  p = putSmall(buf, view, p, high);
  const low = n - high * 100_000_000;
  const top = (low / 1_000_000) | 0;
  view.setUint16(p, DEC2[top]);
  return putDigits6(view, p + 2, low - top * 1_000_000);
}

/** 0 ≤ n < 10^8, no leading zeros: digit pairs from the end. */
function putSmall(buf: Buffer, view: DataView, p: number, n: number): number {
  let digits = 1;
  for (let t = 10; t <= n; t *= 10) digits++;
  let q = p + digits;
  const end = q;
  while (n >= 100) {
    const next = (n / 100) | 0;
    q -= 2;
    view.setUint16(q, DEC2[n - next * 100]);
    n = next;
  }
  if (n >= 10) view.setUint16(q - 2, DEC2[n]);
  else buf[q - 1] = 48 + n;
  return end;
}

/**
 * Constant text followed by epoch microseconds in decimal (16 digits today). The leading digits
 * (whole seconds) change once a second: the text and the seconds are kept as one fragment,
 * and only the last six digits are written per time.
 */
export class SecondsFragment {
  private readonly _text: string;
  private readonly _bare: Fragment;
  private _second = -1;
  private _fragment: Fragment;

  constructor(text: string) {
    this._text = text;
    this._bare = this._fragment = fragment(text);
  }

  /** The text and the time (room: the text's length, 24 bytes and FRAGMENT_SLACK). */
  put(buf: Buffer, view: DataView, p: number, us: number): number {
    const seconds = Math.floor(us / 1_000_000);
    return this.putParts(buf, view, p, seconds, us - seconds * 1_000_000);
  }

  /**
   * The same for a time given as whole seconds and the microseconds past them. The hot paths
   * call this one: both parts are small integers, where epoch microseconds (2^50) are a double
   * that a call boxes on the heap, 16 bytes a time for the garbage collector.
   */
  putParts(buf: Buffer, view: DataView, p: number, seconds: number, micros: number): number {
    if (seconds !== this._second) {
      if (seconds === 0) return putUint(buf, view, putFragment(buf, view, p, this._bare), micros);
      this._second = seconds;
      this._fragment = fragment(`${this._text}${seconds}`);
    }
    p = putFragment(buf, view, p, this._fragment);
    return putDigits6(view, p, micros);
  }
}

/** An ASCII-only string, e.g. a hex id given as text (room: its length). */
export function putAscii(buf: Buffer, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
  return p;
}
