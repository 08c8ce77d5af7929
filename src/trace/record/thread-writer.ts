import type { Worker } from "node:worker_threads";
import { internalError } from "../diag.js";
import { builtin } from "../builtin.js";
import { recordBuffer, type RecordBuffer, type RecordOutput, type WriteQueueStats } from "./write-queue.js";

const fs = builtin("node:fs"); // not an ESM import of node:fs: see builtin.ts

/** Words of the control block shared with the writer thread. */
const HEAD = 0; // buffers handed over so far
const TAIL = 1; // buffers the thread has written so far
const STOP = 2; // 1: the thread ends once it has caught up
const ERRORS = 3; // failed writes (reported by the program's thread)
const CONTROL_WORDS = 4;

/*
 * The writer thread: waits for HEAD to move, writes each buffer at its position, moves TAIL.
 * Plain source run with `eval`: no file of its own to find from the CommonJS and ESM builds.
 */
const THREAD_SOURCE = `
const { workerData } = require("node:worker_threads");
const { writeSync } = require("node:fs");
const { fd, control, lengths, positions, data, size } = workerData;
const ctl = new Int32Array(control);
const lens = new Int32Array(lengths);
const pos = new Float64Array(positions);
const count = lens.length;
let tail = Atomics.load(ctl, ${TAIL});
for (;;) {
  if (Atomics.load(ctl, ${STOP}) === 1) break;
  const head = Atomics.load(ctl, ${HEAD});
  if (head === tail) {
    Atomics.wait(ctl, ${HEAD}, head, 200); // a STOP set just before this wait is seen within 200 ms
    continue;
  }
  const i = tail % count;
  const bytes = new Uint8Array(data, i * size, lens[i]);
  try {
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, pos[i] + done);
  } catch {
    Atomics.add(ctl, ${ERRORS}, 1);
  }
  tail++;
  Atomics.store(ctl, ${TAIL}, tail);
  Atomics.notify(ctl, ${TAIL});
}
`;

/**
 * The recorder's buffers in shared memory, written by a thread of its own: a full buffer is
 * handed over with one atomic store, and the thread writes it (positional writes, in order)
 * while calls go on into the next. Unlike fs.write, whose completions need the event loop, the
 * thread's progress is visible at once: a long synchronous run (a parse that never yields)
 * keeps cycling the buffers.
 *
 * Back-pressure: when the next buffer is still being written, the program waits for it
 * (Atomics.wait): nothing is dropped, order holds. Stopping (shutdown, process exit, or a thread
 * that did not answer: 5 s for a buffer, 1 s for a flush) writes what the thread has not confirmed from this thread (the
 * same bytes at the same positions, so a write the thread finishes later changes nothing) and
 * goes on synchronously from a private buffer, never touching the shared ones again.
 */
export class ThreadWriter implements RecordOutput {
  readonly stats: WriteQueueStats = { asyncWrites: 0, syncCatchUps: 0, bytesWritten: 0 };
  private readonly _ctl: Int32Array;
  private readonly _lens: Int32Array;
  private readonly _pos: Float64Array;
  private readonly _buffers: RecordBuffer[];
  private readonly _size: number;
  private readonly _worker: Worker;
  /** Buffers handed over (mirror of HEAD), and confirmed written (by the thread, or by this one on stop). */
  private _head = 0;
  private _confirmed = 0;
  private _position: number;
  private _errorsSeen = 0;
  /** Set once stopped: every later buffer is written synchronously from here. */
  private _private: RecordBuffer | null = null;

  /** Throws when no thread can be started (the caller falls back to the fs.write queue). */
  constructor(
    private readonly _fd: number,
    count: number,
    size: number,
    position: number,
  ) {
    const data = new SharedArrayBuffer(count * size);
    const control = new SharedArrayBuffer(4 * CONTROL_WORDS);
    const lengths = new SharedArrayBuffer(4 * count);
    const positions = new SharedArrayBuffer(8 * count);
    this._ctl = new Int32Array(control);
    this._lens = new Int32Array(lengths);
    this._pos = new Float64Array(positions);
    this._buffers = Array.from({ length: count }, (_, i) => sharedBuffer(data, i * size, size));
    this._size = size;
    this._position = position;
    // no preloads, no FUNCTRACE: a `--import functrace/register` must not trace (and record) the writer itself
    this._worker = new (builtin("node:worker_threads").Worker)(THREAD_SOURCE, {
      eval: true,
      execArgv: [],
      env: { FUNCTRACE: "off" },
      workerData: { fd: _fd, control, lengths, positions, data, size },
    });
    this._worker.unref();
    this._worker.on("error", (error) => internalError("recording writer thread", error));
  }

  /** The first buffer to fill. */
  take(): RecordBuffer {
    return this._buffers[0];
  }

  /**
   * Hands bytes [0, length) of `buffer` over; returns the next one to fill, once the thread is
   * done with it. `sync`: write everything from this thread now and stop (shutdown).
   */
  submit(buffer: RecordBuffer, length: number, sync = false): RecordBuffer {
    if (this._private !== null) {
      this._writeNow(buffer.bytes, length, this._position);
      this._position += length;
      return this._private;
    }
    if (length !== 0) {
      const i = this._head % this._buffers.length;
      this._lens[i] = length;
      this._pos[i] = this._position;
      this._position += length;
      this._head++;
    }
    if (sync) return this._stop();
    if (length === 0) return buffer;
    Atomics.store(this._ctl, HEAD, this._head);
    Atomics.notify(this._ctl, HEAD);
    this._collect();
    // the next buffer is free once the thread has written what it held count buffers ago
    const count = this._buffers.length;
    if (this._head - this._confirmed >= count && !this._waitForThread(this._head - count + 1)) return this._stop();
    return this._buffers[this._head % count];
  }

  get idle(): boolean {
    this._collect();
    return this._confirmed === this._head;
  }

  /**
   * Resolves once the thread has written everything handed over so far. A thread silent for a
   * second is given up on (see _stop): the signal flush must not wait for it in vain.
   */
  whenIdle(): Promise<void> {
    const target = this._head;
    const deadline = Date.now() + 1000;
    return new Promise((resolve) => {
      const check = (): void => {
        this._collect();
        if (this._confirmed >= target) return resolve();
        if (Date.now() > deadline) {
          this._stop();
          return resolve();
        }
        setTimeout(check, 1);
      };
      check();
    });
  }

  /** Stops (see the class comment); `close` runs once the thread has let go of the file. */
  closeWhenIdle(close: () => void): void {
    if (this._private === null) this._stop();
    this._worker.once("exit", close);
  }

  /** Writes what the thread has not confirmed, tells it to end, and goes on privately. */
  private _stop(): RecordBuffer {
    this._collect();
    const count = this._buffers.length;
    if (this._confirmed < this._head) this.stats.syncCatchUps++;
    for (let k = this._confirmed; k < this._head; k++) {
      const i = k % count;
      this._writeNow(this._buffers[i].bytes, this._lens[i], this._pos[i]);
    }
    this._confirmed = this._head;
    Atomics.store(this._ctl, STOP, 1);
    Atomics.notify(this._ctl, HEAD);
    this._private = recordBuffer(this._size);
    return this._private;
  }

  private _writeNow(bytes: Uint8Array, length: number, position: number): void {
    try {
      let done = 0;
      while (done < length) done += fs.writeSync(this._fd, bytes, done, length - done, position + done);
      this.stats.bytesWritten += length;
    } catch (error) {
      internalError("recording write", error);
    }
  }

  /** Takes note of what the thread has written since the last look. */
  private _collect(): void {
    const errors = Atomics.load(this._ctl, ERRORS);
    if (errors !== this._errorsSeen) {
      this._errorsSeen = errors;
      internalError("recording write", new Error("the writer thread could not write a buffer"));
    }
    if (this._private !== null) return;
    const tail = Atomics.load(this._ctl, TAIL);
    if (tail <= this._confirmed) return;
    const count = this._buffers.length;
    for (let k = this._confirmed; k < tail; k++) this.stats.bytesWritten += this._lens[k % count];
    this.stats.asyncWrites += tail - this._confirmed;
    this._confirmed = tail;
  }

  /** Blocks until the thread has written `target` buffers; false when it did not answer for 5 s. */
  private _waitForThread(target: number): boolean {
    const deadline = Date.now() + 5000;
    for (;;) {
      const tail = Atomics.load(this._ctl, TAIL);
      if (tail >= target) break;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this._ctl, TAIL, tail, left);
    }
    this._collect();
    return true;
  }
}

function sharedBuffer(data: SharedArrayBuffer, offset: number, size: number): RecordBuffer {
  return { bytes: Buffer.from(data, offset, size), u32: new Uint32Array(data, offset, size >>> 2), f64: new Float64Array(data, offset, size >>> 3) };
}
