import { resolve } from "node:path";
import type { ExportedSpan, SpanExporter } from "./exported-span.js";
import { describeError } from "../describe-error.js";
import { expandPid } from "../sinks/tree-printer.js";
import { builtin } from "../builtin.js";

const fs = builtin("node:fs"); // not an ESM import of node:fs: see builtin.ts

/** Options of the Chrome/Perfetto trace file writer. */
export interface ChromeExporterOptions {
  /** The file; default FUNCTRACE_CHROME_FILE, else `functrace-<pid>.trace.json` in the working folder. */
  file?: string;
}

/** The default file name: FUNCTRACE_CHROME_FILE (`%p`: the pid) or functrace-<pid>.trace.json. */
export function defaultChromeFile(): string {
  const fromEnv = process.env.FUNCTRACE_CHROME_FILE?.trim();
  return resolve(expandPid(fromEnv !== undefined && fromEnv !== "" ? fromEnv : `functrace-${process.pid}.trace.json`));
}

/** Recently written spans, to bind a flow arrow inside the span that spawned the flow. */
const RECENT = 65_536;

/**
 * Writes a Trace Event Format file (JSON array form) that Perfetto (ui.perfetto.dev) and
 * chrome://tracing open: one complete ("X") event per span, one track (tid) per flow, named
 * g[NN] by a metadata event, and a flow arrow (`s`/`f` events) from the span that spawned a flow
 * to the flow's first span. Times are microseconds since the process's time origin. One file
 * per run: created on the first batch, truncated if it exists, closed with `]` at shutdown or
 * process exit (a file cut short by a crash still opens: the viewers accept a missing `]`).
 */
export class ChromeTraceExporter implements SpanExporter {
  readonly name = "chrome";
  /** A local file: every batch is written as it comes, nothing is ever dropped. */
  readonly writesThrough = true;
  readonly file: string;
  private _fd: number | null = null;
  private _closed = false;
  private readonly _named = new Set<number>();
  /** span id -> [start, end] in µs, of recent spans (bounded; the oldest are forgotten). */
  private readonly _recent = new Map<string, [number, number]>();
  private readonly _pid = process.pid;
  private readonly _onExit = (): void => this._close();

  constructor(options: ChromeExporterOptions = {}) {
    this.file = options.file !== undefined ? resolve(expandPid(options.file)) : defaultChromeFile();
    // Registered now, after the export sink's own exit listener, so the last batch is written first.
    process.once("exit", this._onExit);
  }

  export(spans: readonly ExportedSpan[]): void {
    if (this._closed || spans.length === 0) return;
    const fd = this._open();
    let text = "";
    for (const span of spans) {
      if (!this._named.has(span.flowId)) {
        this._named.add(span.flowId);
        text += this._threadName(span.flowId);
      }
      text += this._event(span);
      if (span.origin !== undefined) text += this._arrow(span);
    }
    fs.writeSync(fd, text);
  }

  shutdown(): void {
    this._close();
  }

  private _open(): number {
    if (this._fd !== null) return this._fd;
    const fd = fs.openSync(this.file, "w");
    this._fd = fd;
    const meta = { name: "process_name", ph: "M", ts: 0, pid: this._pid, tid: 0, args: { name: `functrace ${process.title} (${this._pid})` } };
    fs.writeSync(fd, "[" + JSON.stringify(meta));
    return fd;
  }

  private _threadName(flowId: number): string {
    const name = `g[${String(flowId).padStart(2, "0")}]`;
    return ",\n" + JSON.stringify({ name: "thread_name", ph: "M", ts: 0, pid: this._pid, tid: flowId, args: { name } });
  }

  private _event(span: ExportedSpan): string {
    const args: Record<string, unknown> = { span_id: span.spanId, depth: span.depth };
    if (span.parentSpanId !== undefined) args.parent_id = span.parentSpanId;
    if (span.file !== "") args.file = `${span.file}:${span.line}`;
    if (span.failed) args.error = describeError(span.error);
    if (span.request !== undefined) {
      args.http = `${span.request.method} ${span.request.path} ${span.request.status}`;
      args.trace_id = span.traceId;
    }
    const event = {
      name: span.name,
      cat: span.async ? "function,async" : "function",
      ph: "X",
      ts: micros(span.start),
      dur: Math.round((micros(span.end) - micros(span.start)) * 1000) / 1000,
      pid: this._pid,
      tid: span.flowId,
      args,
    };
    const start = micros(span.start);
    this._remember(span.spanId, start, start + event.dur);
    return ",\n" + JSON.stringify(event);
  }

  /**
   * A flow arrow from the spawning span (bound inside it: at its end when it has already been
   * written, else at the new flow's start, while it is still running) to this flow's first span.
   */
  private _arrow(span: ExportedSpan): string {
    const origin = span.origin!;
    const start = micros(span.start);
    const from = this._recent.get(origin.spanId);
    const at = from === undefined ? start : Math.max(from[0], Math.min(start, from[1] - 0.001));
    const id = span.flowId;
    const s = { name: "spawn", cat: "flow", ph: "s", id, ts: at, pid: this._pid, tid: origin.flowId };
    const f = { name: "spawn", cat: "flow", ph: "f", bp: "e", id, ts: start, pid: this._pid, tid: span.flowId };
    return ",\n" + JSON.stringify(s) + ",\n" + JSON.stringify(f);
  }

  private _remember(spanId: string, start: number, end: number): void {
    if (this._recent.size >= RECENT) this._recent.delete(this._recent.keys().next().value as string);
    this._recent.set(spanId, [start, end]);
  }

  private _close(): void {
    if (this._closed) return;
    this._closed = true;
    process.removeListener("exit", this._onExit);
    if (this._fd === null) return;
    fs.writeSync(this._fd, "\n]\n");
    fs.closeSync(this._fd);
    this._fd = null;
  }
}

/** Milliseconds to microseconds, kept to a thousandth (nanoseconds), so nesting survives rounding. */
function micros(ms: number): number {
  return Math.round(ms * 1_000_000) / 1000;
}
