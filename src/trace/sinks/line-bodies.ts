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

/** Leaf pairs are cached for flow ids of up to this many digits. */
export const MAX_PAIR_ID_WIDTH = 7;

/** Where the second flow id of a pair (see LineBodies.pair) starts: after the enter body, `\ng[`. */
export function pairDigitsAt(pair: Uint8Array, width: number): number {
  return (pair.length - 5 - width) / 2 + 3;
}

/**
 * One name: its UTF-8 bytes, its bodies (index `2 * depth` entering, `2 * depth + 1` leaving)
 * and its leaf pairs (index `(MAX_PAIR_ID_WIDTH + 1) * depth + flow id width`).
 */
export class NameLines {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly bodies: (Uint8Array | undefined)[] = [];
  readonly pairs: (Uint8Array | undefined)[] = [];
  constructor(name: string) {
    this.name = name;
    this.bytes = Buffer.from(name, "utf8");
  }
}

/** Sets of the name cache (2 ways each), in front of the Map. */
const NAME_SETS = 1024;
/** slotOf keeps the top 10 bits: NAME_SETS sets. */
const NAME_SHIFT = 32 - 10;
/** Fills the empty ways: a name no function has. */
const NO_NAME = new NameLines("\0");

/**
 * The first way of a name's set: its length and two of its characters mixed by one
 * multiplication. A hit costs no Map lookup: callgrind, the megamorphic loop with the printer
 * on Node 24, 13 fewer instructions a call.
 */
function slotOf(name: string): number {
  const n = name.length;
  if (n === 0) return 0;
  return (Math.imul(n ^ (name.charCodeAt(n - 1) << 8) ^ (name.charCodeAt(n >>> 1) << 16), 0x9e3779b1) >>> NAME_SHIFT) << 1;
}

export class LineBodies {
  private readonly _names = new Map<string, NameLines>();
  private readonly _ways: NameLines[] = new Array<NameLines>(2 * NAME_SETS).fill(NO_NAME);
  // consecutive lines often carry one name (a leaf's enter and exit)
  private _last: NameLines = new NameLines("");
  private _cachedBytes = 0;
  private readonly _maxBytes: number;

  constructor(maxBytes = MAX_CACHED_BYTES) {
    this._maxBytes = maxBytes;
  }

  /** The name's entry (cached while there is room, else built for this line only). */
  of(name: string): NameLines {
    let entry = this._last;
    if (entry.name === name) return entry;
    const slot = slotOf(name);
    const ways = this._ways;
    entry = ways[slot];
    if (entry.name !== name) {
      entry = ways[slot + 1];
      if (entry.name !== name) entry = this._miss(name, slot);
    }
    this._last = entry;
    return entry;
  }

  /** Not in its set: from the Map (or new), made the set's first way. */
  private _miss(name: string, slot: number): NameLines {
    let entry = this._names.get(name);
    if (entry === undefined) {
      entry = new NameLines(name);
      if (this._names.size < MAX_CACHED_NAMES) this._names.set(name, entry);
    }
    this._ways[slot + 1] = this._ways[slot];
    this._ways[slot] = entry;
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
    setAt(entry.bodies, at, body);
    this._cachedBytes += size;
    return body;
  }

  /**
   * A call that returned before any other line (a leaf) as one piece: `->name`, newline,
   * `g[`, `width` zeros, `]:`, indent, `<-name`. The caller writes the first `g[NN]:`, patches
   * the flow id at `pairDigitsAt` and adds the last newline.
   */
  pair(entry: NameLines, depth: number, width: number): Uint8Array | undefined {
    const at = (MAX_PAIR_ID_WIDTH + 1) * depth + width;
    const cached = entry.pairs[at];
    if (cached !== undefined || depth > MAX_CACHED_DEPTH || depth < 0 || width > MAX_PAIR_ID_WIDTH) return cached;
    const bodySize = 4 * depth + 2 + entry.bytes.length;
    const size = 2 * bodySize + 5 + width;
    if (this._cachedBytes + size > this._maxBytes) return undefined;
    const pair = new Uint8Array(size);
    let p = writeBody(pair, 0, depth, true, entry.bytes);
    pair[p++] = 0x0a;
    pair[p++] = 0x67; // g
    pair[p++] = 0x5b; // [
    pair.fill(0x30, p, p + width);
    p += width;
    pair[p++] = 0x5d; // ]
    pair[p++] = 0x3a; // :
    writeBody(pair, p, depth, false, entry.bytes);
    setAt(entry.pairs, at, pair);
    this._cachedBytes += size;
    return pair;
  }
}

/** Fills the list up to `at` first, so it stays a packed list. */
function setAt(list: (Uint8Array | undefined)[], at: number, value: Uint8Array): void {
  for (let i = list.length; i < at; i++) list.push(undefined);
  list[at] = value;
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
