import { isatty } from "node:tty";
import type { Flow, Frame } from "../frame.js";
import type { Sink } from "../sink.js";
import { BufferedWriter, type Destination } from "../buffered-writer.js";

/** Options of the terminal tree printer. */
export interface TreePrinterOptions {
  /** stderr (default), stdout, or a file path. */
  output?: Destination;
  /** Append the call's duration to `<-` lines. */
  durations?: boolean;
  /** Prefix every line with the wall-clock time (ISO 8601). */
  timestamps?: boolean;
  /** Colour the flow ids; by default only when the destination is a TTY. */
  color?: boolean;
}

const COLORS = [36, 33, 35, 32, 34, 31];
const SPACE = 32;
const ENTER = 0x3e2d; // "->" as two bytes, low first: '-' (0x2d), '>' (0x3e)
const MAX_CACHED_NAMES = 50_000;

/**
 * Prints calls in the format of the Go functrace:
 * `g[01]:` + one indent (4 spaces) per depth level + `->name` on enter and `<-name` on exit.
 * Lines are written as bytes straight into the writer's buffer (each name's UTF-8 bytes cached),
 * with no string building on the common path.
 */
export class TreePrinter implements Sink {
  readonly needsClock: boolean;
  private readonly _writer: BufferedWriter;
  private readonly _durations: boolean;
  private readonly _timestamps: boolean;
  private readonly _color: boolean;
  private readonly _names = new Map<string, Buffer>();
  private _lastName = "";
  private _lastBytes: Buffer = Buffer.alloc(0);

  constructor(options: TreePrinterOptions = {}) {
    this._writer = new BufferedWriter(options.output ?? "stderr");
    this._durations = options.durations === true;
    this._timestamps = options.timestamps === true;
    this._color = options.color ?? isatty(this._writer.fd);
    this.needsClock = this._durations || this._timestamps;
  }

  onEnter(frame: Frame): void {
    this._line(frame.flow.id, frame.depth, true, frame.name, frame.start, "");
  }

  onExit(frame: Frame): void {
    const suffix = this._durations ? " " + formatDuration(frame.end - frame.start) : "";
    this._line(frame.flow.id, frame.depth, false, frame.name, frame.end, suffix);
  }

  /** Calls that continue in a new flow: they leave the old one (innermost first) and arrive in the new one. */
  onHandoff(frames: readonly Frame[], from: Flow): void {
    const now = performance.now();
    for (let i = frames.length - 1; i >= 0; i--) {
      const f = frames[i];
      this._line(from.id, f.depth, false, f.name, now, ` ~> g[${pad(f.flow.id)}]`);
    }
    for (const f of frames) this._line(f.flow.id, f.depth, true, f.name, now, ` <~ g[${pad(from.id)}]`);
  }

  flush(): void {
    this._writer.flush();
  }

  shutdown(): void {
    this._writer.close();
  }

  private _line(flowId: number, depth: number, entering: boolean, name: string, time: number, suffix: string): void {
    const w = this._writer;
    if (this._timestamps) w.text(new Date(performance.timeOrigin + time).toISOString() + " ");
    const nameBytes = this._nameBytes(name);
    w.reserve(32 + 4 * depth + nameBytes.length);
    const buf = w.buf;
    let p = w.pos;
    if (this._color) p = writeAscii(buf, p, `\x1b[${COLORS[flowId % COLORS.length]}m`);
    buf[p++] = 0x67; // g
    buf[p++] = 0x5b; // [
    if (flowId < 10) buf[p++] = 0x30;
    p = writeUint(buf, p, flowId);
    buf[p++] = 0x5d; // ]
    buf[p++] = 0x3a; // :
    if (this._color) p = writeAscii(buf, p, "\x1b[0m");
    const end = p + 4 * depth;
    if (depth > 6) {
      buf.fill(SPACE, p, end); // one memset for deep lines (the indent is most of their bytes)
      p = end;
    } else {
      while (p < end) buf[p++] = SPACE;
    }
    buf.writeUInt16LE(entering ? ENTER : 0x2d3c, p); // "->" or "<-"
    p += 2;
    const n = nameBytes.length;
    if (n > 48) nameBytes.copy(buf, p);
    else for (let i = 0; i < n; i++) buf[p + i] = nameBytes[i];
    p += n;
    w.pos = p;
    if (suffix !== "") w.text(suffix);
    w.reserve(1);
    w.buf[w.pos++] = 0x0a;
    w.written();
  }

  private _nameBytes(name: string): Buffer {
    if (name === this._lastName) return this._lastBytes;
    let bytes = this._names.get(name);
    if (bytes === undefined) {
      bytes = Buffer.from(name, "utf8");
      if (this._names.size < MAX_CACHED_NAMES) this._names.set(name, bytes);
    }
    this._lastName = name;
    this._lastBytes = bytes;
    return bytes;
  }
}

function writeUint(buf: Buffer, p: number, n: number): number {
  let digits = 1;
  for (let t = 10; t <= n; t *= 10) digits++;
  let q = p + digits;
  const end = q;
  do {
    const next = Math.floor(n / 10);
    buf[--q] = 48 + n - next * 10;
    n = next;
  } while (n > 0);
  return end;
}

function writeAscii(buf: Buffer, p: number, text: string): number {
  for (let i = 0; i < text.length; i++) buf[p++] = text.charCodeAt(i);
  return p;
}

function pad(id: number): string {
  return id < 10 ? "0" + id : String(id);
}

/** 1.234ms / 12.3µs / 2.50s: three significant digits, the unit that reads best. */
export function formatDuration(ms: number): string {
  if (ms >= 1000) return (ms / 1000).toFixed(2) + "s";
  if (ms >= 1) return ms.toFixed(3) + "ms";
  return (ms * 1000).toFixed(1) + "µs";
}
