import { internalError } from "../diag.js";
import { builtin } from "../builtin.js";

const fs = builtin("node:fs"); // not an ESM import of node:fs: see builtin.ts

/** A buffer the recorder fills, with its typed-array views (made once, reused for every fill). */
export interface RecordBuffer {
  // Uint8Array in the declarations (a Buffer at run time): they are public and must type-check
  // without @types/node (test/codemod/public-types.test.ts)
  readonly bytes: Uint8Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
}

export function recordBuffer(size: number): RecordBuffer {
  const bytes = Buffer.alloc(size);
  return { bytes, u32: new Uint32Array(bytes.buffer, bytes.byteOffset, size >>> 2), f64: new Float64Array(bytes.buffer, bytes.byteOffset, size >>> 3) };
}

/** Where the recorder's filled buffers go: the writer thread, or the fs.write queue below. */
export interface RecordOutput {
  readonly stats: WriteQueueStats;
  /** True when nothing handed over is waiting for its write. */
  readonly idle: boolean;
  /** The first buffer to fill. */
  take(): RecordBuffer | null;
  /** Hands bytes [0, length) over; returns the buffer to fill next. `sync`: write everything now. */
  submit(buffer: RecordBuffer, length: number, sync?: boolean): RecordBuffer;
  /** Resolves once everything handed over so far is in the file. */
  whenIdle(): Promise<void>;
  /** Runs `close` once nothing writes to the file any more. */
  closeWhenIdle(close: () => void): void;
}

/** The two file calls the queue makes (node:fs; a test passes its own to steer completions). */
export interface FileIo {
  write(fd: number, buffer: Uint8Array, offset: number, length: number, position: number, done: (error: Error | null, written: number) => void): void;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
}

const NODE_IO: FileIo = { write: fs.write, writeSync: fs.writeSync };

/** A filled buffer handed over for writing: bytes [0, length) go to the file at `position`. */
interface Pending {
  readonly buffer: RecordBuffer;
  readonly length: number;
  readonly position: number;
  /** Bytes of it already written (a short write continues from there). */
  done: number;
}

/** What the queue did, for tests and benches. */
export interface WriteQueueStats {
  /** Buffers written by the thread pool while the program ran on. */
  asyncWrites: number;
  /** Times every buffer was in flight when one more was full: everything was written synchronously. */
  syncCatchUps: number;
  /** Bytes confirmed in the file (header included). */
  bytesWritten: number;
}

/**
 * The recorder's buffer pool written through libuv's thread pool: the fallback where no writer
 * thread can start (thread-writer.ts), and `thread: false`. Its completions need the event
 * loop, so a long synchronous run soon finds every buffer in flight. A full buffer is handed to libuv's thread pool
 * (fs.write), so the copy into the file happens on another core while calls go on into the
 * next free buffer. One write is in flight at a time, at an explicit file position, in the
 * order the buffers were handed over: the file is always a prefix of the recording (a crash
 * loses the tail, never a piece in the middle).
 *
 * Back-pressure: when no buffer is free, everything not yet confirmed is written synchronously
 * (the one in flight again, at its own position: the same bytes, so a late completion of the
 * asynchronous write changes nothing), and recording goes on. Nothing is dropped; the program
 * waits for the disk instead, as it did before the pool.
 *
 * `writeAllSync()` does the same for `shutdown()` and process exit, where the event loop will
 * not run the completions any more.
 */
export class WriteQueue implements RecordOutput {
  readonly stats: WriteQueueStats = { asyncWrites: 0, syncCatchUps: 0, bytesWritten: 0 };
  private readonly _free: RecordBuffer[];
  /** Handed over and not confirmed: [0] is the one in flight when `_inFlight`. */
  private readonly _queue: Pending[] = [];
  private _inFlight: Pending | null = null;
  /** File position of the next buffer handed over. */
  private _position: number;
  private _idle: (() => void)[] = [];
  private _closeWhenIdle: (() => void) | null = null;

  constructor(
    private readonly _fd: number,
    buffers: RecordBuffer[],
    position: number,
    private readonly _io: FileIo = NODE_IO,
  ) {
    this._free = buffers;
    this._position = position;
  }

  /** A free buffer to fill (the first one, at start). Null when every buffer is handed over. */
  take(): RecordBuffer | null {
    return this._free.pop() ?? null;
  }

  /**
   * Hands bytes [0, length) of `buffer` over and returns the buffer to fill next: a free one,
   * else (back-pressure) one that was written synchronously. `sync`: write it (and everything
   * before it) synchronously now.
   */
  submit(buffer: RecordBuffer, length: number, sync = false): RecordBuffer {
    if (length === 0) return buffer;
    this._queue.push({ buffer, length, position: this._position, done: 0 });
    this._position += length;
    const next = sync ? undefined : this._free.pop();
    if (next !== undefined) {
      this._pump();
      return next;
    }
    if (!sync) this.stats.syncCatchUps++;
    this.writeAllSync();
    return this._free.pop() as RecordBuffer;
  }

  /** True when nothing handed over is waiting for its write. */
  get idle(): boolean {
    return this._queue.length === 0 && this._inFlight === null;
  }

  /** Resolves once everything handed over so far is in the file. */
  whenIdle(): Promise<void> {
    this._pump();
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this._idle.push(resolve));
  }

  /**
   * Writes everything handed over and not confirmed, synchronously and in order (the buffer in
   * flight again: same bytes at the same position). Every queued buffer is free afterwards,
   * except the one the thread pool still reads: that one comes back with its completion.
   */
  writeAllSync(): void {
    const inFlight = this._inFlight;
    for (const pending of this._queue) {
      try {
        const from = pending === inFlight ? 0 : pending.done;
        let offset = from;
        while (offset < pending.length) offset += this._io.writeSync(this._fd, pending.buffer.bytes, offset, pending.length - offset, pending.position + offset);
        this.stats.bytesWritten += pending.length - pending.done;
        pending.done = pending.length;
      } catch (error) {
        internalError("recording write", error);
      }
      if (pending !== inFlight) this._free.push(pending.buffer);
    }
    this._queue.length = inFlight === null ? 0 : 1;
    if (inFlight !== null) this._queue[0] = inFlight;
    if (inFlight === null) this._settle();
  }

  /** Runs `close` once no write is in flight (the fd must outlive the thread pool's write). */
  closeWhenIdle(close: () => void): void {
    if (this._inFlight === null) close();
    else this._closeWhenIdle = close;
  }

  /** Starts the next write unless one is in flight. */
  private _pump(): void {
    if (this._inFlight !== null || this._queue.length === 0) return;
    const pending = this._queue[0];
    this._inFlight = pending;
    try {
      this._io.write(this._fd, pending.buffer.bytes, pending.done, pending.length - pending.done, pending.position + pending.done, (error, written) => this._written(pending, error, written));
    } catch (error) {
      // not started (e.g. no stack left for it): the next submit, flush or exit retries
      this._inFlight = null;
      internalError("recording write", error);
    }
  }

  private _written(pending: Pending, error: Error | null, written: number): void {
    this._inFlight = null;
    if (pending.done === pending.length) {
      // written synchronously meanwhile (back-pressure or shutdown): only its buffer comes back
      this._queue.shift();
      this._free.push(pending.buffer);
    } else if (error !== null) {
      internalError("recording write", error);
      this._queue.shift();
      this._free.push(pending.buffer);
    } else {
      pending.done += written;
      this.stats.bytesWritten += written;
      if (pending.done < pending.length) return this._pump();
      this.stats.asyncWrites++;
      this._queue.shift();
      this._free.push(pending.buffer);
    }
    if (this._queue.length !== 0) return this._pump();
    this._settle();
  }

  private _settle(): void {
    if (!this.idle) return;
    const close = this._closeWhenIdle;
    this._closeWhenIdle = null;
    close?.();
    const idle = this._idle;
    this._idle = [];
    for (const resolve of idle) resolve();
  }
}
