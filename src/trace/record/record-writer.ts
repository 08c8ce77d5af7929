import { performance } from "node:perf_hooks";
import { resolve } from "node:path";
import * as F from "../frame.js";
import type { Flow, Frame } from "../frame.js";
import type { Sink } from "../sink.js";
import { describeError } from "../describe-error.js";
import { ownLink, spanIdHigh, traceIdOf } from "../export/span-ids.js";
import { expandPid } from "../sinks/tree-printer.js";
import { internalError } from "../diag.js";
import * as R from "./format.js";
import type { RecordBuffer, RecordOutput, WriteQueueStats } from "./write-queue.js";
import { BUFFERS, MIN_BUFFER, startOutput, defaultRecordFile, type RecordOptions } from "./record-setup.js";
import { builtin } from "../builtin.js";

const fs = builtin("node:fs"); // not an ESM import of node:fs: see builtin.ts

/** A Buffer view of a record buffer (for its string writes): one per buffer switch. */
const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

export { defaultRecordFile, type RecordOptions };

const MAX_SITES = 1 << 20;
/** Entries of the site cache (sets of WAYS, by line number): a hit costs no Map lookup and no store. */
const SITE_CACHE = 1 << 13;
// Module-local copies of the constants the per-call records use: an imported binding compiles
// (CommonJS) to an exports-object load at every use (the engine measured 30 instructions a call).
const FAILED = F.FAILED;
const ASYNC = F.ASYNC;
const REQUEST = F.REQUEST;
const ENTER = R.ENTER;
const EXIT = R.EXIT;
const EXIT_ASYNC = R.EXIT | (R.F_ASYNC << 8);

/** Ways per set of the site cache: the same-length functions a minified bundle puts on one line. */
const WAYS = 4;
/** siteSet keeps the top 11 bits: 2^11 sets of WAYS (SITE_CACHE). */
const SET_SHIFT = 32 - 11;

/**
 * The first slot of a site's set in the cache, cheap on purpose (every call): line and lengths
 * mixed by one multiplication (Fibonacci hashing). Past the first way: semver 2 % (17 % with
 * shifts and xors); a minified bundle's functions share lines and still meet (marked 33 %).
 */
function siteSet(name: string, file: string, line: number): number {
  return (Math.imul((line << 8) ^ name.length ^ (file.length << 20), 0x9e3779b1) >>> SET_SHIFT) * WAYS;
}

/**
 * A sink that writes every visible call as compact binary records (format.ts) through a pool of
 * buffers, written by a thread of its own, to one file per process. Per call: a 40-byte ENTER and a 24-byte EXIT record of typed
 * array stores, names and files interned once in a string table, flows described once.
 */
export class RecordWriter implements Sink {
  readonly needsClock: boolean;
  /** Copies what it needs: see Sink.releasesFrames. */
  readonly releasesFrames = true;
  readonly file: string;
  private readonly _fd: number;
  private readonly _queue: RecordOutput;
  /** The buffer being filled, and its views (the hot path's stores go through these). */
  private _cur: RecordBuffer;
  private _buf: Buffer;
  private _u: Uint32Array;
  private _d: Float64Array;
  private _cap: number;
  private _pos = 0;
  private _closed = false;
  private _nextString = 1;
  private readonly _strings = new Map<string, number>();
  private readonly _sites = new Map<string, number>();
  /** Site id by hash of its line; slot 0's sentinel name matches no frame. */
  private readonly _siteCache = new Int32Array(SITE_CACHE);
  private readonly _siteName: string[] = ["\0"];
  private readonly _siteFile: string[] = [""];
  private readonly _siteLine: number[] = [0];
  private _lastFlow: Flow | null = null;
  private _seen = new Int32Array(1024);
  private readonly _traces = new Set<number>();
  private readonly _timer: NodeJS.Timeout | null;
  private readonly _onExit = (): void => this.shutdown();

  constructor(options: RecordOptions = {}) {
    this.file = options.file !== undefined ? resolve(expandPid(options.file)) : defaultRecordFile();
    this.needsClock = options.timestamps !== false;
    const total = Math.max(BUFFERS * MIN_BUFFER, options.bufferSize ?? 4 << 20);
    const size = Math.floor(total / BUFFERS / 8) * 8;
    this._fd = fs.openSync(this.file, "w");
    this._writeHeader();
    this._queue = startOutput(this._fd, size, options.thread !== false);
    this._cur = this._queue.take() as RecordBuffer;
    this._buf = asBuffer(this._cur.bytes);
    this._u = this._cur.u32;
    this._d = this._cur.f64;
    this._cap = size;
    const every = options.flushIntervalMs ?? 1000;
    this._timer = every > 0 ? setInterval(() => void this.flush(), every) : null;
    this._timer?.unref();
    process.once("exit", this._onExit);
  }

  /** Bytes in the file so far (header included): written, not only handed to the thread pool. */
  get bytesWritten(): number {
    return this._queue.stats.bytesWritten;
  }

  /** How the buffers were written (asynchronously, or synchronously under back-pressure). */
  get writeStats(): Readonly<WriteQueueStats> {
    return this._queue.stats;
  }

  onEnter(frame: Frame): void {
    if ((frame.flags & REQUEST) !== 0) return;
    const flow = frame.flow;
    if (flow !== this._lastFlow) this._seeFlow(flow);
    const { name, file, line } = frame;
    const set = siteSet(name, file, line);
    let site = this._siteCache[set];
    if (this._siteName[site] !== name || this._siteFile[site] !== file || this._siteLine[site] !== line) site = this._siteInSet(frame, set);
    let p = this._pos;
    if (p + 40 > this._cap) p = this._drain();
    const u = this._u;
    const w = p >>> 2;
    u[w] = ENTER;
    u[w + 1] = flow.id;
    u[w + 2] = frame.depth;
    u[w + 3] = site;
    const d = this._d;
    const q = p >>> 3;
    d[q + 2] = frame.id;
    const parent = frame.parent;
    d[q + 3] = parent === null ? 0 : parent.id;
    d[q + 4] = frame.start;
    this._pos = p + 40;
  }

  onExit(frame: Frame): void {
    const flags = frame.flags;
    if ((flags & (REQUEST | FAILED)) !== 0) return this._exitSlow(frame);
    let p = this._pos;
    if (p + 24 > this._cap) p = this._drain();
    const u = this._u;
    const w = p >>> 2;
    u[w] = (flags & ASYNC) !== 0 ? EXIT_ASYNC : EXIT;
    u[w + 1] = 0;
    const d = this._d;
    const q = p >>> 3;
    d[q + 1] = frame.id;
    d[q + 2] = frame.end;
    this._pos = p + 24;
  }

  /** A failed call's exit (with its error text), or the end of an incoming request. */
  private _exitSlow(frame: Frame): void {
    const flags = frame.flags;
    if ((flags & REQUEST) !== 0) return this._server(frame);
    const error = this._text(describeError(frame.error));
    const w = this._reserve(24) >>> 2;
    this._u[w] = R.EXIT | ((R.F_FAILED | ((flags & ASYNC) !== 0 ? R.F_ASYNC : 0)) << 8);
    this._u[w + 1] = error;
    const q = w >>> 1;
    this._d[q + 1] = frame.id;
    this._d[q + 2] = frame.end;
  }

  onHandoff(frames: readonly Frame[], from: Flow, depthShift: number): void {
    const now = this.needsClock ? performance.now() : 0;
    this._seeFlow(from);
    const sites = frames.map((f) => {
      this._seeFlow(f.flow);
      return this._site(f);
    });
    let w = this._reserve(24) >>> 2;
    this._u[w] = R.HANDOFF;
    this._u[w + 1] = from.id;
    this._u[w + 2] = depthShift;
    this._u[w + 3] = frames.length;
    this._d[(w >>> 1) + 2] = now;
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i];
      w = this._reserve(24) >>> 2;
      this._u[w] = R.MOVED;
      this._u[w + 1] = f.flow.id;
      this._u[w + 2] = f.depth;
      this._u[w + 3] = sites[i];
      this._d[(w >>> 1) + 2] = f.id;
    }
  }

  /**
   * Hands what is buffered (whole records only) to the thread pool; the promise settles once it
   * is in the file (the signal flush waits for it). Never throws.
   */
  flush(): Promise<void> | undefined {
    if (this._closed) return undefined;
    if (this._pos !== 0) this._handOver(false);
    return this._queue.idle ? undefined : this._queue.whenIdle();
  }

  /**
   * Writes the END record and everything still buffered or in flight, synchronously (this runs
   * at process exit too, where no completion would run), then closes the file once the thread
   * pool lets go of it. Later calls are not recorded. Idempotent.
   */
  shutdown(): void {
    if (this._closed) return;
    const w = this._reserve(8) >>> 2;
    this._u[w] = R.END;
    this._u[w + 1] = 0;
    this._handOver(true);
    this._closed = true;
    if (this._timer !== null) clearInterval(this._timer);
    process.removeListener("exit", this._onExit);
    this._queue.closeWhenIdle(() => {
      try {
        fs.closeSync(this._fd);
      } catch (error) {
        internalError("recording close", error);
      }
    });
  }

  /** The header, written synchronously: the file is an (empty) recording from the start. */
  private _writeHeader(): void {
    const b = Buffer.alloc(R.HEADER_SIZE);
    const u = new Uint32Array(b.buffer, b.byteOffset, R.HEADER_SIZE >>> 2);
    R.MAGIC.copy(b, 0);
    b.writeUInt16LE(R.VERSION, 8);
    b.writeUInt16LE(R.HEADER_SIZE, 10);
    u[3] = R.BYTE_ORDER;
    u[4] = process.pid;
    u[5] = spanIdHigh(1);
    b.writeDoubleLE(performance.timeOrigin, 24);
    u[8] = this.needsClock ? R.WRITER_CLOCK : 0;
    try {
      let offset = 0;
      while (offset < R.HEADER_SIZE) offset += fs.writeSync(this._fd, b, offset, R.HEADER_SIZE - offset, offset);
    } catch (error) {
      internalError("recording write", error);
    }
  }

  /** Room for n bytes at the returned position (the caller fills them at once). */
  private _reserve(n: number): number {
    let p = this._pos;
    if (p + n > this._cap) p = this._drain();
    this._pos = p + n;
    return p;
  }

  private _drain(): number {
    // after shutdown, later notifications go round the last buffer and are dropped with it
    if (!this._closed) this._handOver(false);
    this._pos = 0;
    return 0;
  }

  /** Hands the filled buffer over and goes on in the next one. */
  private _handOver(sync: boolean): void {
    const next = this._queue.submit(this._cur, this._pos, sync);
    this._pos = 0;
    this._cur = next;
    this._buf = asBuffer(next.bytes);
    this._u = next.u32;
    this._d = next.f64;
  }

  /** A string for the table (interned: names, files, request texts). */
  private _string(text: string): number {
    if (text === "") return 0;
    const known = this._strings.get(text);
    if (known !== undefined) return known;
    const id = this._text(text);
    if (this._strings.size < MAX_SITES) this._strings.set(text, id);
    return id;
  }

  /** A STRING record with a fresh id (not interned: error texts). */
  private _text(text: string): number {
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

  /** The other ways of the frame's set, else the table. */
  private _siteInSet(frame: Frame, set: number): number {
    const { name, file, line } = frame;
    for (let way = 1; way < WAYS; way++) {
      const site = this._siteCache[set + way];
      if (this._siteName[site] === name && this._siteFile[site] === file && this._siteLine[site] === line) return site;
    }
    return this._site(frame, set);
  }

  /** The site id of a frame's function (a SITE record the first time), cached in its set. */
  private _site(frame: Frame, set = siteSet(frame.name, frame.file, frame.line)): number {
    const { name, file, line } = frame;
    const key = `${name}\0${file}\0${line}`;
    let site = this._sites.get(key);
    if (site === undefined) {
      site = this._siteName.length;
      const nameId = this._string(name);
      const fileId = this._string(file);
      const w = this._reserve(24) >>> 2;
      this._u[w] = R.SITE;
      this._u[w + 1] = site;
      this._u[w + 2] = nameId;
      this._u[w + 3] = fileId;
      this._u[w + 4] = line;
      this._u[w + 5] = 0;
      this._siteName.push(name);
      this._siteFile.push(file);
      this._siteLine.push(line);
      if (this._sites.size < MAX_SITES) this._sites.set(key, site);
    }
    // newest first, the oldest of the set dropped; hits never reorder (no stores on the call path)
    const cache = this._siteCache;
    if (cache[set] !== site) {
      cache.copyWithin(set + 1, set, set + WAYS - 1);
      cache[set] = site;
    }
    return site;
  }

  private _seeFlow(flow: Flow): void {
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

  private _trace(anchor: Flow): void {
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

  private _server(frame: Frame): void {
    const flow = frame.flow;
    if (flow !== this._lastFlow) this._seeFlow(flow);
    const name = this._string(frame.name);
    const error = (frame.flags & FAILED) !== 0 ? this._text(describeError(frame.error)) : 0;
    const p = this._reserve(48);
    const w = p >>> 2;
    this._u[w] = R.SERVER | (((frame.flags & FAILED) !== 0 ? R.F_FAILED : 0) << 8);
    this._u[w + 1] = flow.id;
    this._u[w + 2] = flow.request?.status ?? 0;
    this._u[w + 3] = name;
    const q = p >>> 3;
    this._d[q + 2] = frame.id;
    this._d[q + 3] = frame.start;
    this._d[q + 4] = frame.end;
    this._u[w + 10] = error;
    this._u[w + 11] = 0;
  }
}
