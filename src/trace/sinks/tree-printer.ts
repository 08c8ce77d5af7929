import { performance } from "node:perf_hooks";
import { FAILED, REQUEST, type Flow, type Frame } from "../frame.js";
import type { Sink } from "../sink.js";
import { BufferedWriter, type Destination } from "../buffered-writer.js";
import { traceIdOf } from "../export/span-ids.js";
import { describeError } from "../describe-error.js";
import { builtin } from "../builtin.js";
import { LineBodies, pairDigitsAt, writeBody } from "./line-bodies.js";
import { flowIdWidth, writeFlowId } from "./flow-id.js";

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
  /**
   * Append to the file instead of replacing it. Several processes can then share one file:
   * every line starts with the writing process's id (`[1234] g[01]:...`) unless `pid` is false.
   */
  append?: boolean;
  /** Prefix every line with `[pid] ` (default: only when appending to a file). */
  pid?: boolean;
}

const COLORS = [36, 33, 35, 32, 34, 31];

/**
 * Prints calls in the format of the Go functrace:
 * `g[01]:` + one indent (4 spaces) per depth level + `->name` on enter and `<-name` on exit.
 * Lines are written as bytes straight into the writer's buffer: the `g[NN]:` prefix digit by
 * digit, then the indent, arrow and name as one cached body (LineBodies), so the common line
 * costs no string building and one memmove.
 */
export class TreePrinter implements Sink {
  readonly needsClock: boolean;
  /** Copies what it needs: see Sink.releasesFrames. */
  readonly releasesFrames = true;
  private readonly _writer: BufferedWriter;
  private readonly _durations: boolean;
  private readonly _timestamps: boolean;
  private readonly _color: boolean;
  private readonly _lines = new LineBodies();
  /** `[pid] ` as bytes, or empty. */
  private readonly _prefix: Uint8Array;
  /** Lines of the plain form (no pid, time or colour) can wait to be joined with the next one. */
  private readonly _plain: boolean;
  /**
   * A plain enter line not written yet: if the call's exit comes next (a leaf), both lines go
   * out as one cached piece. Any other line, a flush or the writer's timer writes it first.
   * Kept as the call's span id (0: none), not its Frame: a young Frame stored into this old
   * object takes V8's write-barrier slow path at every call (callgrind, Node 24: 51 instructions).
   */
  private _pendingId = 0;
  private _pendingFlowId = 0;
  private _pendingDepth = 0;
  private _pendingName = "";

  constructor(options: TreePrinterOptions = {}) {
    const append = options.append === true;
    this._writer = new BufferedWriter(expandPid(options.output ?? "stderr"), append);
    this._durations = options.durations === true;
    this._timestamps = options.timestamps === true;
    this._color = options.color ?? builtin("node:tty").isatty(this._writer.fd);
    this.needsClock = this._durations || this._timestamps;
    const pid = options.pid ?? (append && this._writer.fd > 2);
    this._prefix = Buffer.from(pid ? `[${process.pid}] ` : "", "latin1");
    this._plain = !pid && !this._timestamps && !this._color;
    this._writer.beforeTimedFlush = () => this._writePending();
  }

  onEnter(frame: Frame): void {
    if ((frame.flags & REQUEST) !== 0) return;
    const flow = frame.flow;
    if (this._pendingId !== 0) this._writePending();
    if (this._plain && flow.shown) {
      this._pendingFlowId = flow.id;
      this._pendingDepth = frame.depth;
      this._pendingName = frame.name;
      this._pendingId = frame.id;
      this._writer.written(); // the timer writes it if nothing follows soon
      return;
    }
    this._line(flow.id, frame.depth, true, frame.name, frame.start, flow.shown ? "" : firstLine(flow));
  }

  onExit(frame: Frame): void {
    const flags = frame.flags;
    if ((flags & REQUEST) !== 0) return;
    let suffix = this._durations ? " " + formatDuration(frame.end - frame.start) : "";
    if ((flags & FAILED) !== 0) suffix += " !" + describeError(frame.error);
    if (this._pendingId !== 0) {
      if (this._pendingId === frame.id && suffix === "" && this._leafPair()) return;
      this._writePending();
    }
    this._line(frame.flow.id, frame.depth, false, frame.name, frame.end, suffix);
  }

  /** Calls that continue in a new flow: they leave the old one (innermost first) and arrive in the new one. */
  onHandoff(frames: readonly Frame[], from: Flow, depthShift = 0): void {
    if (this._pendingId !== 0) this._writePending();
    const now = performance.now();
    for (let i = frames.length - 1; i >= 0; i--) {
      const f = frames[i];
      this._line(from.id, f.depth + depthShift, false, f.name, now, ` ~> g[${pad(f.flow.id)}]`);
    }
    for (const f of frames) this._line(f.flow.id, f.depth, true, f.name, now, f.flow.shown ? ` <~ g[${pad(from.id)}]` : firstLine(f.flow));
  }

  flush(): void {
    if (this._pendingId !== 0) this._writePending();
    this._writer.flush();
  }

  shutdown(): void {
    if (this._pendingId !== 0) this._writePending();
    this._writer.close();
  }

  /** The waiting enter line, as it would have been printed. Clears it only once it is written. */
  private _writePending(): void {
    if (this._pendingId === 0) return;
    this._line(this._pendingFlowId, this._pendingDepth, true, this._pendingName, 0, "");
    this._pendingId = 0;
  }

  /** The waiting enter line and this exit of the same call, as one piece; false when there is none cached. */
  private _leafPair(): boolean {
    const flowId = this._pendingFlowId;
    const width = flowIdWidth(flowId);
    const names = this._lines;
    const pair = names.pair(names.of(this._pendingName), this._pendingDepth, width);
    if (pair === undefined) return false;
    const w = this._writer;
    w.reserve(6 + width + pair.length);
    const buf = w.buf;
    const p = w.pos;
    buf[p] = 0x67; // g
    buf[p + 1] = 0x5b; // [
    writeFlowId(buf, p + 2, flowId, width);
    buf[p + 2 + width] = 0x5d; // ]
    buf[p + 3 + width] = 0x3a; // :
    const start = p + 4 + width;
    buf.set(pair, start);
    const digits = start + pairDigitsAt(pair, width);
    for (let i = 0; i < width; i++) buf[digits + i] = buf[p + 2 + i];
    const end = start + pair.length;
    buf[end] = 0x0a;
    w.pos = end + 1;
    this._pendingId = 0;
    return true;
  }

  /** One whole line, reserved at once: a buffer flush never splits a line (files shared by processes stay line-clean). */
  private _line(flowId: number, depth: number, entering: boolean, name: string, time: number, suffix: string): void {
    const w = this._writer;
    const names = this._lines;
    const entry = names.of(name);
    const body = names.body(entry, depth, entering);
    const stamp = this._timestamps ? new Date(performance.timeOrigin + time).toISOString() + " " : "";
    const prefix = this._prefix;
    // 3 bytes per UTF-16 unit bounds the suffix's UTF-8 size.
    w.reserve(40 + 4 * depth + entry.bytes.length + prefix.length + stamp.length + 3 * suffix.length);
    const buf = w.buf;
    let p = w.pos;
    if (prefix.length !== 0) {
      buf.set(prefix, p);
      p += prefix.length;
    }
    if (stamp !== "") p = writeAscii(buf, p, stamp);
    if (this._color) p = writeAscii(buf, p, `\x1b[${COLORS[flowId % COLORS.length]}m`);
    buf[p] = 0x67; // g
    buf[p + 1] = 0x5b; // [
    const width = flowIdWidth(flowId);
    writeFlowId(buf, p + 2, flowId, width);
    p += 2 + width;
    buf[p] = 0x5d; // ]
    buf[p + 1] = 0x3a; // :
    p += 2;
    if (this._color) p = writeAscii(buf, p, "\x1b[0m");
    if (body !== undefined) {
      buf.set(body, p);
      p += body.length;
    } else {
      p = writeBody(buf, p, depth, entering, entry.bytes);
    }
    if (suffix !== "") p += buf.write(suffix, p, "utf8");
    buf[p++] = 0x0a;
    w.pos = p;
    w.written();
  }
}

function writeAscii(buf: Buffer, p: number, text: string): number {
  for (let i = 0; i < text.length; i++) buf[p++] = text.charCodeAt(i);
  return p;
}

function pad(id: number): string {
  return id < 10 ? "0" + id : String(id);
}

/**
 * What the first line of a flow says about it: the request it serves (`[GET /items/3 4bf92f35]`:
 * method, path, the first 8 hex digits of the trace id) and where it came from (`<~ g[04]
 * app.start`: the flow and call that spawned it). Marks the flow as shown.
 */
function firstLine(flow: Flow): string {
  flow.shown = true;
  let text = "";
  const request = flow.trace.request;
  if (request !== null) text += ` [${request.method} ${clip(request.path, 80)} ${traceIdOf(flow).slice(0, 8)}]`;
  if (flow.fromSpanId !== 0) text += ` <~ g[${pad(flow.fromFlowId)}] ${flow.fromName}`;
  return text;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + "…";
}

/** `%p` in a file name is the process id (one file per process of a test runner or cluster). */
export function expandPid(output: Destination): Destination {
  return output === "stderr" || output === "stdout" ? output : output.replace(/%p/g, String(process.pid));
}

/** 1.234ms / 12.3µs / 2.50s: three significant digits, the unit that reads best. */
export function formatDuration(ms: number): string {
  if (ms >= 1000) return (ms / 1000).toFixed(2) + "s";
  if (ms >= 1) return ms.toFixed(3) + "ms";
  return (ms * 1000).toFixed(1) + "µs";
}
