import { performance } from "node:perf_hooks";
import { resolve } from "node:path";
import * as F from "../frame.js";
import { S } from "../state.js";
import type { Flow, Frame } from "../frame.js";
import type { Sink } from "../sink.js";
import { describeError } from "../describe-error.js";
import { expandPid } from "../sinks/tree-printer.js";
import { internalError } from "../diag.js";
import * as R from "./format.js";
import type { WriteQueueStats } from "./write-queue.js";
import { RecordTables, siteSet } from "./record-tables.js";
import { BUFFERS, MIN_BUFFER, startOutput, defaultRecordFile, writeHeader, type RecordOptions } from "./record-setup.js";
import { builtin } from "../builtin.js";

const fs = builtin("node:fs"); // not an ESM import of node:fs: see builtin.ts

export { defaultRecordFile, type RecordOptions };

// Module-local copies of the constants the per-call records use: an imported binding compiles
// (CommonJS) to an exports-object load at every use (the engine measured 30 instructions a call).
const FAILED = F.FAILED;
const ASYNC = F.ASYNC;
const REQUEST = F.REQUEST;
const ANNOUNCED = F.ANNOUNCED;
const CLOSED = F.CLOSED;
const HIDDEN = F.HIDDEN;
const CALL = R.CALL;
/** Exits that are not a plain synchronous return: written as an EXIT after the call's ENTER. */
const NOT_PLAIN = REQUEST | FAILED | ASYNC | ANNOUNCED;

/** A writer owns Frame's ANNOUNCED bit: one at a time; the others write every ENTER (version 1's way). */
let announcedBitTaken = false;

/**
 * A sink that writes every visible call as compact binary records (format.ts) through a pool of
 * buffers, written by a thread of its own, to one file per process. A synchronous call that
 * returns is one 48-byte CALL record, written when it ends: the engine calls no onEnter here.
 * A call's ENTER is written only once it must be (its first suspension, a record of another
 * kind, a buffer handed over while it is open: `_announceOpen`), followed by an EXIT. Names and
 * files are interned once in a string table, flows described once. A second writer open at the
 * same time writes an ENTER and an EXIT per call instead (the ANNOUNCED bit is the first's).
 */
export class RecordWriter extends RecordTables implements Sink {
  readonly needsClock: boolean;
  /** Copies what it needs: see Sink.releasesFrames. */
  readonly releasesFrames = true;
  readonly file: string;
  private readonly _fd: number;
  private _draining = false;
  /** False for a writer opened while another owns the ANNOUNCED bit. */
  private readonly _lazy: boolean;
  /** Only on a writer that is not lazy (the engine skips onEnter for the others). */
  onEnter?: (frame: Frame) => void;
  private readonly _timer: NodeJS.Timeout | null;
  private readonly _onExit = (): void => this.shutdown();

  constructor(options: RecordOptions = {}) {
    const file = options.file !== undefined ? resolve(expandPid(options.file)) : defaultRecordFile();
    const needsClock = options.timestamps !== false;
    const total = Math.max(BUFFERS * MIN_BUFFER, options.bufferSize ?? 4 << 20);
    const size = Math.floor(total / BUFFERS / 8) * 8;
    const fd = fs.openSync(file, "w");
    writeHeader(fd, needsClock);
    super(startOutput(fd, size, options.thread !== false), size);
    this.file = file;
    this.needsClock = needsClock;
    this._fd = fd;
    const every = options.flushIntervalMs ?? 1000;
    this._timer = every > 0 ? setInterval(() => void this.flush(), every) : null;
    this._timer?.unref();
    process.once("exit", this._onExit);
    this._lazy = !announcedBitTaken;
    if (this._lazy) announcedBitTaken = true;
    else {
      this.onEnter = (frame) => {
        if ((frame.flags & REQUEST) === 0) this._enter(frame);
      };
      (this as { onExit: (frame: Frame) => void }).onExit = (frame) => this._exitSlow(frame);
    }
  }

  /** Bytes in the file so far (header included): written, not only handed to the thread pool. */
  get bytesWritten(): number {
    return this._queue.stats.bytesWritten;
  }

  /** How the buffers were written (asynchronously, or synchronously under back-pressure). */
  get writeStats(): Readonly<WriteQueueStats> {
    return this._queue.stats;
  }

  onExit(frame: Frame): void {
    if ((frame.flags & NOT_PLAIN) !== 0) return this._exitSlow(frame);
    const flow = frame.flow;
    if (flow !== this._lastFlow) this._seeFlow(flow);
    // The first way inline (what _siteOf does): a call here moved callgrind's count by ±16 instructions.
    const { name, file, line } = frame;
    const set = siteSet(name, file, line);
    const cached = this._siteWays[set];
    const site = cached.line === line && cached.name === name && cached.file === file ? cached.id : this._siteInSet(frame, set);
    let p = this._pos;
    if (p + 48 > this._cap) {
      p = this._drain();
      if ((frame.flags & ANNOUNCED) !== 0) return this._exitSlow(frame);
    }
    const u = this._u;
    const w = p >>> 2;
    u[w] = CALL;
    u[w + 1] = flow.id;
    u[w + 2] = frame.depth;
    u[w + 3] = site;
    const d = this._d;
    const q = p >>> 3;
    d[q + 2] = frame.id;
    const parent = frame.parent;
    d[q + 3] = parent === null ? 0 : parent.id;
    d[q + 4] = frame.start;
    d[q + 5] = frame.end;
    this._pos = p + 48;
  }

  /** Its first suspension: the call stays open while other code runs, so its ENTER goes out now. */
  onSuspend(frame: Frame): void {
    if (this._lazy && !this._closed) this._announceOpen(frame);
  }

  /** A failed call's exit (with its error text), or the end of an incoming request. */
  private _exitSlow(frame: Frame): void {
    const flags = frame.flags;
    if ((flags & REQUEST) !== 0) return this._server(frame);
    if (this._lazy) {
      if ((flags & ANNOUNCED) === 0) this._announce(frame);
      this._announceOpen(frame.saved);
    }
    const error = (flags & FAILED) !== 0 ? this._text(describeError(frame.error)) : 0;
    const w = this._reserve(24) >>> 2;
    this._u[w] = R.EXIT | ((((flags & FAILED) !== 0 ? R.F_FAILED : 0) | ((flags & ASYNC) !== 0 ? R.F_ASYNC : 0)) << 8);
    this._u[w + 1] = error;
    const q = w >>> 1;
    this._d[q + 1] = frame.id;
    this._d[q + 2] = frame.end;
  }

  onHandoff(frames: readonly Frame[], from: Flow, depthShift: number): void {
    const now = this.needsClock ? performance.now() : 0;
    this._announceOpen(S.cursor.cur);
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
    this._announceOpen(S.cursor.cur);
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
    this._announceOpen(S.cursor.cur);
    const w = this._reserve(8) >>> 2;
    this._u[w] = R.END;
    this._u[w + 1] = 0;
    this._handOver(true);
    this._closed = true;
    if (this._lazy) announcedBitTaken = false;
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

  protected _drain(): number {
    // after shutdown, later notifications go round the last buffer and are dropped with it
    if (!this._closed && !this._draining) {
      // what is open now gets its ENTER in this buffer's spare room, so a crash before the next
      // buffer is written still shows the calls these records are nested in (a stack deeper
      // than that room goes on in the next buffer)
      this._draining = true;
      this._cap = this._size;
      try {
        this._announceOpen(S.cursor.cur);
      } finally {
        this._cap = this._size - ((this._size >>> 4) & ~7);
        this._draining = false;
      }
      this._handOver(false);
    } else if (!this._closed) {
      this._handOver(false);
    }
    this._pos = 0;
    return 0;
  }

  /**
   * ENTER records for the visible open calls on the chain from `frame` (the calls of the stack,
   * innermost first) that have none yet. A synchronous call that has one is on the stack with
   * every caller below it announced; an async call's callers are the ones it resumed in, so the
   * walk goes on past it.
   */
  private _announceOpen(frame: Frame | null): void {
    if (!this._lazy) return;
    for (let f = frame; f !== null; f = f.saved) {
      const flags = f.flags;
      if ((flags & (ANNOUNCED | ASYNC)) === ANNOUNCED) return;
      if ((flags & (ANNOUNCED | CLOSED | HIDDEN | REQUEST)) === 0) this._announce(f);
    }
  }

  private _announce(frame: Frame): void {
    frame.flags |= ANNOUNCED;
    this._enter(frame);
  }

  /** The ENTER record of a call (its start, flow, depth, site and parent). */
  private _enter(frame: Frame): void {
    const flow = frame.flow;
    if (flow !== this._lastFlow) this._seeFlow(flow);
    const site = this._siteOf(frame);
    const p = this._reserve(40);
    const w = p >>> 2;
    this._u[w] = R.ENTER;
    this._u[w + 1] = flow.id;
    this._u[w + 2] = frame.depth;
    this._u[w + 3] = site;
    const q = p >>> 3;
    this._d[q + 2] = frame.id;
    this._d[q + 3] = frame.parent === null ? 0 : frame.parent.id;
    this._d[q + 4] = frame.start;
  }

  private _server(frame: Frame): void {
    this._announceOpen(S.cursor.cur);
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
