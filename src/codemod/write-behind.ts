import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { builtWorker } from "./built-worker.js";
import { writeFileAtomic } from "./write-file.js";
import type { FileResult } from "./run.js";

/*
 * Writing on a second thread while the main thread goes on planning. A write is mostly kernel
 * work: each atomic write creates an inode (the temporary file) and frees one (the original),
 * and on ext4 that scan of recently freed inodes cost 0.7-1.0 s of a 2,004-file run that plans
 * in 1.0 s (perf: find_inode_bit / recently_deleted). On a thread of its own it overlaps the
 * planning instead of following it. Without a worker (ts-jest, ESM build, a worker that does not
 * start) the files are written on the main thread at the end, as one burst.
 */

/**
 * Below this many files, the main thread writes: the thread takes 30-40 ms to start, about what
 * planning 64 small files takes, and a 40-file run took 0.06 s with it against 0.02 s without.
 */
export const WRITE_BEHIND_MIN_FILES = 128;
/** No news from the writer for this long: the main thread writes what is still pending itself. */
const STALL_MS = 5_000;

export interface WriterOptions {
  /** The worker entry (default: writer-worker.js, built beside this module); null: no thread. */
  entry?: string | null;
  /** How long finish() waits for news from the writer before it writes what is left itself. */
  stallMs?: number;
}

/** What the write-behind thread gets (writer-worker.ts). */
export interface WriterInput {
  port: MessagePort;
  /** [0]: files written (or failed) so far; the worker notifies on it. */
  ctrl: SharedArrayBuffer;
}

/** One file to write, `i` its index among the files sent. */
export interface WriteRequest {
  i: number;
  abs: string;
  text: string;
}

/** The outcome of one write: `error` when it failed. */
export interface WriteDone {
  i: number;
  error?: string;
}

/** Writes changed files; `finish` returns once every one is in place or marked failed. */
export interface Writer {
  write(r: FileResult): void;
  finish(): void;
}

/** A writer for a run over `files` files: on a thread of its own when the run is worth it. */
export function startWriter(files: number, options: WriterOptions = {}): Writer {
  const entry = files < WRITE_BEHIND_MIN_FILES ? null : options.entry === undefined ? builtWorker("writer-worker") : options.entry;
  if (entry != null) {
    try {
      return new BackgroundWriter(entry, options.stallMs ?? STALL_MS);
    } catch {
      // no thread: write on this one
    }
  }
  return new BurstWriter();
}

/** Marks a result failed with the reason its write gave. */
function failed(r: FileResult, error: string): void {
  r.status = "failed";
  r.reason = `${r.path}: cannot write: ${error}`;
}

function writeHere(r: FileResult): void {
  try {
    writeFileAtomic(r.abs, r.after);
  } catch (err) {
    failed(r, err instanceof Error ? err.message : String(err));
  }
}

/** Every file written at the end, on this thread. */
class BurstWriter implements Writer {
  private readonly _pending: FileResult[] = [];

  write(r: FileResult): void {
    this._pending.push(r);
  }

  finish(): void {
    for (const r of this._pending) writeHere(r);
    this._pending.length = 0;
  }
}

class BackgroundWriter implements Writer {
  private readonly _ctrl = new Int32Array(new SharedArrayBuffer(4));
  private readonly _port: MessagePort;
  private readonly _worker: Worker;
  /** Sent and not yet answered, by index. */
  private readonly _pending = new Map<number, FileResult>();
  private _sent = 0;

  constructor(
    entry: string,
    private readonly _stallMs: number,
  ) {
    const { port1, port2 } = new MessageChannel();
    const input: WriterInput = { port: port2, ctrl: this._ctrl.buffer as SharedArrayBuffer };
    try {
      this._worker = new Worker(entry, { workerData: input, transferList: [port2], stdout: false, stderr: false });
    } catch (err) {
      port1.close();
      throw err;
    }
    this._worker.unref();
    this._worker.on("error", () => {}); // finish() covers for a writer that died
    this._port = port1;
  }

  write(r: FileResult): void {
    const i = this._sent++;
    this._pending.set(i, r);
    const request: WriteRequest = { i, abs: r.abs, text: r.after };
    this._port.postMessage(request);
    this._drain();
  }

  finish(): void {
    let lastNews = Date.now();
    while (this._pending.size > 0) {
      const seen = Atomics.load(this._ctrl, 0);
      const before = this._pending.size;
      this._drain();
      if (this._pending.size === 0) break;
      if (this._pending.size < before || Atomics.wait(this._ctrl, 0, seen, 50) !== "timed-out") lastNews = Date.now();
      else if (Date.now() - lastNews > this._stallMs) {
        // the writer died or hangs: what it never answered is written here (an atomic write of
        // the same text twice leaves the same file)
        for (const r of this._pending.values()) writeHere(r);
        this._pending.clear();
      }
    }
    this._port.close();
    void this._worker.terminate();
  }

  /** Takes in the outcomes the writer has posted so far. */
  private _drain(): void {
    for (let m = receiveMessageOnPort(this._port); m; m = receiveMessageOnPort(this._port)) {
      const done = m.message as WriteDone;
      const r = this._pending.get(done.i);
      if (r === undefined) continue;
      this._pending.delete(done.i);
      if (done.error !== undefined) failed(r, done.error);
    }
  }
}
