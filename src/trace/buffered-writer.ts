import { closeSync, openSync, writeSync } from "node:fs";

/** Where the printer writes: a standard stream or a file path (appended). */
export type Destination = "stderr" | "stdout" | string;

const FLUSH_BYTES = 64 * 1024;
const FLUSH_DELAY_MS = 25;

/**
 * Buffers text and writes it with synchronous writes: never one syscall per line, nothing
 * left behind at exit (the exit hook calls flush), and no async resources of its own on the
 * program's event loop besides one unref'd timer.
 */
export class BufferedWriter {
  private _buffer = "";
  private _timer: NodeJS.Timeout | null = null;
  private readonly _fd: number;
  private readonly _ownsFd: boolean;

  constructor(destination: Destination) {
    if (destination === "stderr") {
      this._fd = 2;
      this._ownsFd = false;
    } else if (destination === "stdout") {
      this._fd = 1;
      this._ownsFd = false;
    } else {
      this._fd = openSync(destination, "a");
      this._ownsFd = true;
    }
  }

  /** The file descriptor written to (for TTY detection). */
  get fd(): number {
    return this._fd;
  }

  write(text: string): void {
    this._buffer += text;
    if (this._buffer.length >= FLUSH_BYTES) this.flush();
    else if (this._timer === null) this._schedule();
  }

  flush(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    if (this._buffer === "") return;
    const data = Buffer.from(this._buffer, "utf8");
    this._buffer = "";
    writeFully(this._fd, data);
  }

  close(): void {
    this.flush();
    if (this._ownsFd) closeSync(this._fd);
  }

  private _schedule(): void {
    this._timer = setTimeout(() => {
      this._timer = null;
      this.flush();
    }, FLUSH_DELAY_MS);
    this._timer.unref();
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** writeSync until done; a non-blocking pipe that is full (EAGAIN) is waited on briefly. */
function writeFully(fd: number, data: Buffer): void {
  let offset = 0;
  let retries = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset, data.length - offset);
      retries = 0;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN" || ++retries > 1000) throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
