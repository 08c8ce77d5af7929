import { performance } from "node:perf_hooks";
import { resolve } from "node:path";
import { expandPid } from "../sinks/tree-printer.js";
import * as R from "./format.js";
import { WriteQueue, recordBuffer, type RecordOutput } from "./write-queue.js";
import { ThreadWriter } from "./thread-writer.js";
import { spanIdHigh } from "../export/span-ids.js";
import { internalError } from "../diag.js";
import { builtin } from "../builtin.js";

const fs = builtin("node:fs"); // not an ESM import of node:fs: see builtin.ts

/** Options of the binary recorder (`FUNCTRACE=record`, `configure({ record })`). */
export interface RecordOptions {
  /** The file (`%p`: the pid); default FUNCTRACE_RECORD_FILE, else functrace-<pid>.ftrec. */
  file?: string;
  /**
   * Bytes buffered in all (default 4 MiB, at least 256 KiB), split into BUFFERS buffers: a full
   * one is written by the writer thread while calls go on into the next.
   */
  bufferSize?: number;
  /** Record start and end times (two clock reads per call; default true). Without, the tree still renders. */
  timestamps?: boolean;
  /**
   * Write from a thread of its own (default true; falls back to false where no thread starts).
   * false: libuv's thread pool (fs.write), whose completions need the event loop to turn.
   */
  thread?: boolean;
  /** Write what is buffered at this interval, so a crash loses at most that much (ms, default 1000; 0: only when full). */
  flushIntervalMs?: number;
}

/** The default file name: FUNCTRACE_RECORD_FILE (`%p`: the pid) or functrace-<pid>.ftrec. */
export function defaultRecordFile(): string {
  const fromEnv = process.env.FUNCTRACE_RECORD_FILE?.trim();
  return resolve(expandPid(fromEnv !== undefined && fromEnv !== "" ? fromEnv : R.DEFAULT_FILE));
}

/** Buffers in the pool: one being filled, one being written, two to absorb a slow disk. */
export const BUFFERS = 4;
export const MIN_BUFFER = 64 * 1024;

/** The writer thread, else (or when asked) the fs.write queue. */
export function startOutput(fd: number, size: number, thread: boolean): RecordOutput {
  if (thread) {
    try {
      return new ThreadWriter(fd, BUFFERS, size, R.HEADER_SIZE);
    } catch {
      // no worker threads here (a permission model, an embedder): libuv's pool instead
    }
  }
  return new WriteQueue(fd, Array.from({ length: BUFFERS }, () => recordBuffer(size)), R.HEADER_SIZE);
}


/** The header, written synchronously: the file is an (empty) recording from the start. */
export function writeHeader(fd: number, timestamps: boolean): void {
  const b = Buffer.alloc(R.HEADER_SIZE);
  const u = new Uint32Array(b.buffer, b.byteOffset, R.HEADER_SIZE >>> 2);
  R.MAGIC.copy(b, 0);
  b.writeUInt16LE(R.VERSION, 8);
  b.writeUInt16LE(R.HEADER_SIZE, 10);
  u[3] = R.BYTE_ORDER;
  u[4] = process.pid;
  u[5] = spanIdHigh(1);
  b.writeDoubleLE(performance.timeOrigin, 24);
  u[8] = timestamps ? R.WRITER_CLOCK : 0;
  try {
    let offset = 0;
    while (offset < R.HEADER_SIZE) offset += fs.writeSync(fd, b, offset, R.HEADER_SIZE - offset, offset);
  } catch (error) {
    internalError("recording write", error);
  }
}
