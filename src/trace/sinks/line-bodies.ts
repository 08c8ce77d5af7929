/**
 * The bytes of a printer line after its `g[NN]:` prefix: 4 spaces per depth level, `->` or
 * `<-`, the name's UTF-8. They are the same every time a name is printed at a depth, so each
 * is built once and copied into the output with one `Uint8Array.set` (a memmove: several times
 * cheaper per line than writing the indent and the name byte by byte).
 */

const SPACE = 0x20;
/** Deeper lines are built in place each time (they are rare, and long). */
export const MAX_CACHED_DEPTH = 48;
/** A bound on what the cache holds; past it, lines are built in place. */
const MAX_CACHED_BYTES = 8 * 1024 * 1024;
const MAX_CACHED_NAMES = 50_000;

/** One name: its UTF-8 bytes and its bodies, index `2 * depth` entering, `2 * depth + 1` leaving. */
export class NameLines {
  readonly bytes: Uint8Array;
  readonly bodies: (Uint8Array | undefined)[] = [];
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
}

export class LineBodies {
  private readonly _names = new Map<string, NameLines>();
  // consecutive lines often carry one name (a leaf's enter and exit)
  private _lastName = "";
  private _last: NameLines = new NameLines(new Uint8Array(0));
  private _cachedBytes = 0;
  private readonly _maxBytes: number;

  constructor(maxBytes = MAX_CACHED_BYTES) {
    this._maxBytes = maxBytes;
  }

  /** The name's entry (cached while there is room, else built for this line only). */
  of(name: string): NameLines {
    if (name === this._lastName) return this._last;
    let entry = this._names.get(name);
    if (entry === undefined) {
      entry = new NameLines(Buffer.from(name, "utf8"));
      if (this._names.size < MAX_CACHED_NAMES) this._names.set(name, entry);
    }
    this._lastName = name;
    this._last = entry;
    return entry;
  }

  /** The body of `entry` at `depth`, or undefined when it is too deep or the cache is full. */
  body(entry: NameLines, depth: number, entering: boolean): Uint8Array | undefined {
    const at = 2 * depth + (entering ? 0 : 1);
    const cached = entry.bodies[at];
    if (cached !== undefined || depth > MAX_CACHED_DEPTH || depth < 0) return cached;
    const size = 4 * depth + 2 + entry.bytes.length;
    if (this._cachedBytes + size > this._maxBytes) return undefined;
    const body = new Uint8Array(size);
    writeBody(body, 0, depth, entering, entry.bytes);
    // fill the array up to `at` first so it stays a packed list
    for (let i = entry.bodies.length; i < at; i++) entry.bodies.push(undefined);
    entry.bodies[at] = body;
    this._cachedBytes += size;
    return body;
  }
}

/** Writes indent, arrow and name at `p`; returns the position after them. */
export function writeBody(buf: Uint8Array, p: number, depth: number, entering: boolean, name: Uint8Array): number {
  const end = p + 4 * depth;
  buf.fill(SPACE, p, end);
  p = end;
  buf[p] = entering ? 0x2d : 0x3c; // "->" or "<-"
  buf[p + 1] = entering ? 0x3e : 0x2d;
  buf.set(name, p + 2);
  return p + 2 + name.length;
}
