import { isatty } from "node:tty";
import type { Frame } from "../frame.js";
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
const INDENT = "    ";

/**
 * Prints calls in the format of the Go functrace:
 * `g[01]:` + one indent per depth level + `->name` on enter and `<-name` on exit.
 */
export class TreePrinter implements Sink {
  readonly needsClock: boolean;
  private readonly _writer: BufferedWriter;
  private readonly _durations: boolean;
  private readonly _timestamps: boolean;
  private readonly _color: boolean;
  private readonly _indents: string[] = [""];

  constructor(options: TreePrinterOptions = {}) {
    this._writer = new BufferedWriter(options.output ?? "stderr");
    this._durations = options.durations === true;
    this._timestamps = options.timestamps === true;
    this._color = options.color ?? isatty(this._writer.fd);
    this.needsClock = this._durations || this._timestamps;
  }

  onEnter(frame: Frame): void {
    this._writer.write(this._prefix(frame, frame.start) + "->" + frame.name + "\n");
  }

  onExit(frame: Frame): void {
    let line = this._prefix(frame, frame.end) + "<-" + frame.name;
    if (this._durations) line += " " + formatDuration(frame.end - frame.start);
    this._writer.write(line + "\n");
  }

  flush(): void {
    this._writer.flush();
  }

  shutdown(): void {
    this._writer.close();
  }

  private _prefix(frame: Frame, time: number): string {
    const id = frame.flow.id;
    let flow = "g[" + (id < 10 ? "0" + id : String(id)) + "]:";
    if (this._color) flow = `\x1b[${COLORS[id % COLORS.length]}m${flow}\x1b[0m`;
    const stamp = this._timestamps ? new Date(performance.timeOrigin + time).toISOString() + " " : "";
    return stamp + flow + this._indent(frame.depth);
  }

  private _indent(depth: number): string {
    const cache = this._indents;
    while (cache.length <= depth) cache.push(cache[cache.length - 1] + INDENT);
    return cache[depth];
  }
}

/** 1.234ms / 12.3µs / 2.50s: three significant digits, the unit that reads best. */
export function formatDuration(ms: number): string {
  if (ms >= 1000) return (ms / 1000).toFixed(2) + "s";
  if (ms >= 1) return ms.toFixed(3) + "ms";
  return (ms * 1000).toFixed(1) + "µs";
}
