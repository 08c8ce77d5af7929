import type { Flow, Frame } from "../frame.js";
import { ownLink, traceIdOf } from "../export/span-ids.js";
import * as R from "./format.js";
import type { RecordBuffer, RecordOutput } from "./write-queue.js";

/** What the string writes use of a Buffer (declared here: the public declarations need no @types/node). */
interface TextBytes {
  write(text: string, offset: number, length: number, encoding: "utf8"): number;
  fill(value: number, start: number, end: number): unknown;
}

/** A Buffer view of a record buffer (for its string writes): one per buffer switch. */
const asBuffer = (bytes: Uint8Array): TextBytes => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

const MAX_SITES = 1 << 20;
/** Entries of the site cache (sets of WAYS, by line number): a hit costs no Map lookup and no store. */
const SITE_CACHE = 1 << 13;
/** Ways per set of the site cache: the same-length functions a minified bundle puts on one line. */
const WAYS = 4;
/** siteSet keeps the top 11 bits: 2^11 sets of WAYS (SITE_CACHE). */
const SET_SHIFT = 32 - 11;

/**
 * The first slot of a site's set in the cache, cheap on purpose (every call): line and lengths
 * mixed by one multiplication (Fibonacci hashing). Past the first way: semver 2 % (17 % with
 * shifts and xors); a minified bundle's functions share lines and still meet (marked 33 %).
 */
export function siteSet(name: string, file: string, line: number): number {
  return (Math.imul((line << 8) ^ name.length ^ (file.length << 20), 0x9e3779b1) >>> SET_SHIFT) * WAYS;
}

/** A site in the cache: what a frame is checked against, and its id. */
class SiteEntry {
  constructor(
    readonly name: string,
    readonly file: string,
    readonly line: number,
    readonly id: number,
  ) {}
}

/** Fills the cache's empty ways: its sentinel name matches no frame. */
const NO_SITE = new SiteEntry("\0", "", -1, 0);

/**
 * The binary recording's buffers and tables (record-writer.ts writes the calls): the buffer
 * being filled and its views, the string table, the sites (a set-associative cache in front of
 * a Map), and the flows and traces described so far.
 */
export abstract class RecordTables {
  protected readonly _queue: RecordOutput;
  /** The buffer being filled, and its views (the hot path's stores go through these). */
  protected _cur: RecordBuffer;
  protected _buf: TextBytes;
  protected _u: Uint32Array;
  protected _d: Float64Array;
  /** Where the call records of a buffer end; the rest is room for the ENTERs of open calls at hand-over. */
  protected _cap: number;
  protected readonly _size: number;
  protected _pos = 0;
  protected _closed = false;
  protected _nextString = 1;
  protected readonly _strings = new Map<string, number>();
  /** Every site seen (up to MAX_SITES): one entry a site, which the cache's ways share. */
  protected readonly _sites = new Map<string, SiteEntry>();
  /**
   * Sites by set (siteSet), WAYS a set. Entries, not parallel arrays of names, files and lines:
   * a hit loads one element, not three (callgrind, Node 24: 29-31 fewer instructions a call).
   */
  protected readonly _siteWays: SiteEntry[] = new Array<SiteEntry>(SITE_CACHE).fill(NO_SITE);
  private _nextSite = 1;
  protected _lastFlow: Flow | null = null;
  protected _seen = new Int32Array(1024);
  protected readonly _traces = new Set<number>();

  constructor(queue: RecordOutput, size: number) {
    this._queue = queue;
    this._cur = queue.take() as RecordBuffer;
    this._buf = asBuffer(this._cur.bytes);
    this._u = this._cur.u32;
    this._d = this._cur.f64;
    this._size = size;
    this._cap = size - ((size >>> 4) & ~7);
  }

  /** Hands the buffer over when a record does not fit; returns the position to write at (0). */
  protected abstract _drain(): number;

  /** Room for n bytes at the returned position (the caller fills them at once). */
  protected _reserve(n: number): number {
    let p = this._pos;
    if (p + n > this._cap) p = this._drain();
    this._pos = p + n;
    return p;
  }

  /** Hands the filled buffer over and goes on in the next one. */
  protected _handOver(sync: boolean): void {
    const next = this._queue.submit(this._cur, this._pos, sync);
    this._pos = 0;
    this._cur = next;
    this._buf = asBuffer(next.bytes);
    this._u = next.u32;
    this._d = next.f64;
  }

  /** A string for the table (interned: names, files, request texts). */
  protected _string(text: string): number {
    if (text === "") return 0;
    const known = this._strings.get(text);
    if (known !== undefined) return known;
    const id = this._text(text);
    if (this._strings.size < MAX_SITES) this._strings.set(text, id);
    return id;
  }

  /** A STRING record with a fresh id (not interned: error texts). */
  protected _text(text: string): number {
    const id = this._nextString++;
    const n = Buffer.byteLength(text, "utf8");
    const size = (16 + n + 7) & ~7;
    if (size > this._cap) return 0;
    const p = this._reserve(size);
    const w = p >>> 2;
    this._u[w] = R.STRING;
    this._u[w + 1] = id;
    this._u[w + 2] = n;
    this._u[w + 3] = 0;
    this._buf.write(text, p + 16, n, "utf8");
    this._buf.fill(0, p + 16 + n, p + size);
    return id;
  }

  /** The frame's site: the ways of its set, else the table. */
  protected _siteOf(frame: Frame): number {
    const set = siteSet(frame.name, frame.file, frame.line);
    const first = this._siteWays[set];
    return first.line === frame.line && first.name === frame.name && first.file === frame.file ? first.id : this._siteInSet(frame, set);
  }

  /** The other ways of the frame's set, else the table. */
  protected _siteInSet(frame: Frame, set: number): number {
    const { name, file, line } = frame;
    for (let way = 1; way < WAYS; way++) {
      const e = this._siteWays[set + way];
      if (e.line === line && e.name === name && e.file === file) return e.id;
    }
    return this._site(frame, set);
  }

  /** The site id of a frame's function (a SITE record the first time), cached in its set. */
  protected _site(frame: Frame, set = siteSet(frame.name, frame.file, frame.line)): number {
    const { name, file, line } = frame;
    const key = `${name}\0${file}\0${line}`;
    let entry = this._sites.get(key);
    if (entry === undefined) {
      const site = this._nextSite++;
      const nameId = this._string(name);
      const fileId = this._string(file);
      const w = this._reserve(24) >>> 2;
      this._u[w] = R.SITE;
      this._u[w + 1] = site;
      this._u[w + 2] = nameId;
      this._u[w + 3] = fileId;
      this._u[w + 4] = line;
      this._u[w + 5] = 0;
      entry = new SiteEntry(name, file, line, site);
      if (this._sites.size < MAX_SITES) this._sites.set(key, entry);
    }
    // newest first, the oldest of the set dropped; hits never reorder (no stores on the call path)
    const ways = this._siteWays;
    if (ways[set] !== entry) {
      for (let way = WAYS - 1; way > 0; way--) ways[set + way] = ways[set + way - 1];
      ways[set] = entry;
    }
    return entry.id;
  }

  protected _seeFlow(flow: Flow): void {
    this._lastFlow = flow;
    const id = flow.id;
    const word = id >>> 5;
    if (word >= this._seen.length) {
      const grown = new Int32Array(Math.max(word + 1, this._seen.length * 2));
      grown.set(this._seen);
      this._seen = grown;
    }
    const bit = 1 << (id & 31);
    if ((this._seen[word] & bit) !== 0) return;
    this._seen[word] |= bit;
    const anchor = flow.trace;
    if (!this._traces.has(anchor.id) && (anchor.request !== null || ownLink(anchor) !== undefined)) this._trace(anchor);
    const fromName = this._string(flow.fromName);
    const p = this._reserve(48);
    const w = p >>> 2;
    this._u[w] = R.FLOW | ((flow.sampled ? R.F_SAMPLED : 0) << 8);
    this._u[w + 1] = id;
    this._u[w + 2] = flow.parentId;
    this._u[w + 3] = flow.fromFlowId;
    this._d[(p >>> 3) + 2] = flow.fromSpanId;
    this._u[w + 6] = fromName;
    this._u[w + 7] = anchor.id;
    this._u[w + 8] = flow.linkedFrom === null ? 0 : flow.linkedFrom.id;
    this._u[w + 9] = 0;
    this._u[w + 10] = 0;
    this._u[w + 11] = 0;
  }

  protected _trace(anchor: Flow): void {
    this._traces.add(anchor.id);
    const request = anchor.request;
    const traceId = this._string(traceIdOf(anchor));
    const parent = this._string(ownLink(anchor)?.parentSpanId ?? "");
    const method = request === null ? 0 : this._string(request.method);
    const path = request === null ? 0 : this._string(request.path);
    const w = this._reserve(32) >>> 2;
    this._u[w] = R.TRACE;
    this._u[w + 1] = anchor.id;
    this._u[w + 2] = traceId;
    this._u[w + 3] = parent;
    this._u[w + 4] = method;
    this._u[w + 5] = path;
    this._u[w + 6] = 0;
    this._u[w + 7] = 0;
  }
}
