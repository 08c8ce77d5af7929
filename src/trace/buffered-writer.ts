import { builtin } from "./builtin.js";

const fs = builtin("node:fs"); // not an ESM import of node:fs: see builtin.ts

/** Where the printer writes: a standard stream or a file path. */
export type Destination = "stderr" | "stdout" | string;

const CAPACITY = 64 * 1024;
const FLUSH_DELAY_MS = 25;
/**
 * fs.writeSync calls JavaScript after its system call (handleErrorFromBinding): at the bottom of
 * an exhausted stack that call can throw RangeError for bytes already written, which a retry
 * would write twice (measured, Node 22: an enter line of the recursion printed twice). So a
 * flush first makes sure of more stack than that takes: a RangeError comes before any byte is written.
 */
const STACK_PROBE_DEPTH = 32;
function probeStack(depth: number): number {
  return depth === 0 ? 0 : 1 + probeStack(depth - 1);
}

/** What a full non-blocking pipe is waited on with (Atomics.wait: no timer, no event loop). */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * A byte buffer in front of a file descriptor. Callers write bytes straight into `buf` at
 * `pos` (after `reserve`), so a line costs no string building or encoding; full buffers go out
 * with one synchronous write (never one syscall per line), the rest after a short unref'd timer
 * or at exit (the exit hook calls flush). No async resources of its own on the program's loop
 * besides that timer.
 */
export class BufferedWriter {
  /** @internal (the writers in this package fill it directly; not in the public declarations) */
  buf: Buffer = Buffer.allocUnsafe(CAPACITY);
  pos = 0;
  /** Where the unwritten bytes start: a write that threw (a stack overflow, a full pipe) leaves them for the next flush. */
  private _start = 0;
  /** Called before the timer's flush: a writer's last held-back bytes go into this write. */
  beforeTimedFlush: (() => void) | null = null;
  private _timer: NodeJS.Timeout | null = null;
  private readonly _fd: number;
  private readonly _ownsFd: boolean;

  /** A file is replaced, or appended to with `append`. */
  constructor(destination: Destination, append = false) {
    if (destination === "stderr") {
      this._fd = 2;
      this._ownsFd = false;
    } else if (destination === "stdout") {
      this._fd = 1;
      this._ownsFd = false;
    } else {
      this._fd = fs.openSync(destination, append ? "a" : "w");
      this._ownsFd = true;
    }
  }

  /** The file descriptor written to (for TTY detection). */
  get fd(): number {
    return this._fd;
  }

  /** Makes room for `n` more bytes (flushing what is buffered when needed). */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  /** Marks buffered output for writing soon. Call after writing into `buf`. */
  written(): void {
    if (this._timer === null) this._schedule();
  }

  /** Writes a string as UTF-8 (for the rare, formatted parts of a line). */
  text(value: string): void {
    this.reserve(Buffer.byteLength(value, "utf8"));
    this.pos += this.buf.write(value, this.pos, "utf8");
  }

  /** Writes buf[start, pos). A stack overflow mid-write leaves what it did not write buffered, not torn. */
  flush(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    const end = this.pos;
    if (this._start < end) probeStack(STACK_PROBE_DEPTH);
    let retries = 0;
    while (this._start < end) {
      try {
        this._start += fs.writeSync(this._fd, this.buf, this._start, end - this._start);
        retries = 0;
      } catch (error) {
        // a non-blocking pipe that is full (EAGAIN) is waited on briefly
        if ((error as NodeJS.ErrnoException).code === "EAGAIN" && ++retries <= 1000) {
          Atomics.wait(pause, 0, 0, 1);
          continue;
        }
        // a stack overflow passes (the next flush, higher up, writes the rest); a failing
        // destination does not: its bytes are dropped so that memory stays bounded
        if (!(error instanceof RangeError)) {
          this._start = 0;
          this.pos = 0;
        }
        throw error;
      }
    }
    this._start = 0;
    this.pos = 0;
  }

  close(): void {
    this.flush();
    if (this._ownsFd) fs.closeSync(this._fd);
  }

  private _schedule(): void {
    this._timer = setTimeout(() => {
      this._timer = null;
      try {
        if (this.beforeTimedFlush !== null) this.beforeTimedFlush();
      } catch {
        // what it held back stays held back: the next line or flush writes it
      }
      try {
        this.flush();
      } catch {
        // never into the program's event loop: the next line or the exit hook tries again
      }
    }, FLUSH_DELAY_MS);
    this._timer.unref();
  }
}
