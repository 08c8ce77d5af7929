import { FLAG_ASYNC, FLAG_FAILED, FLAG_REQUEST, TraceInputError, TraceModel } from "./model.js";
import { forEachLine } from "./lines.js";
import { jsonErrorOffset } from "./json-error.js";

/** Whole-text parsing (files not written one event per line) holds the text in memory: bounded. */
const MAX_WHOLE = 256 * 1024 * 1024;

interface ChromeEvent {
  name?: unknown;
  ph?: unknown;
  cat?: unknown;
  ts?: unknown;
  dur?: unknown;
  pid?: unknown;
  tid?: unknown;
  args?: Record<string, unknown>;
}

/**
 * Reads a Chrome/Perfetto Trace Event file. The functrace exporter writes one event per line
 * (`[{...},` / `{...},` / `]`): read line by line, in bounded memory per line, so a file of
 * millions of events never becomes one giant string. Any other layout (one line, pretty-printed,
 * `{"traceEvents": [...]}`) is parsed whole. A missing final `]` (a run cut short) is accepted;
 * an event cut in the middle is an error naming its line.
 */
export async function readChromeLines(file: string, chunks: AsyncIterable<Buffer | string>): Promise<TraceModel> {
  const builder = new ChromeBuilder(file);
  let mode: "unknown" | "lines" | "whole" = "unknown";
  const whole: string[] = [];
  let wholeSize = 0;
  let pending: { text: string; no: number } | null = null;
  let opened = 0;
  const parseLine = (text: string, no: number, last: boolean): void => {
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch (e) {
      const what = last ? "the file ends inside a trace event (cut short?)" : `not a JSON trace event: ${shortJsonError(e)}`;
      throw new TraceInputError(file, no, what);
    }
    builder.event(event, no);
  };
  await forEachLine(file, chunks, (line, no) => {
    if (mode === "whole") {
      wholeSize += line.length + 1;
      if (wholeSize > MAX_WHOLE) throw new TraceInputError(file, no, "a Chrome trace not written one event per line is limited to 256 MiB");
      whole.push(line);
      return;
    }
    let text = line.trim();
    if (mode === "unknown") {
      if (text === "") return;
      if (text.startsWith("[")) {
        text = text.slice(1).trim();
        opened = no;
      }
      if (text === "") return;
      if (text === "]") {
        mode = "lines";
        return;
      }
      const candidate = text.endsWith(",") ? text.slice(0, -1) : text;
      let ok = false;
      if (candidate.startsWith("{") && candidate.endsWith("}")) {
        try {
          JSON.parse(candidate);
          ok = true;
        } catch {
          ok = false;
        }
      }
      if (!ok) {
        mode = "whole";
        if (opened > 0) whole.push("[");
        whole.push(line.trim().startsWith("[") ? line.trim().slice(1) : line);
        wholeSize = line.length + 1;
        return;
      }
      mode = "lines";
    } else if (text.startsWith("[") && opened === 0 && pending === null) {
      text = text.slice(1).trim();
    }
    if (text === "" || text === "]") return;
    if (text.endsWith("]")) text = text.slice(0, -1).trim();
    if (text.endsWith(",")) text = text.slice(0, -1);
    if (text === "") return;
    // Parse the previous line now: only the very last line may be cut short.
    if (pending !== null) parseLine(pending.text, pending.no, false);
    pending = { text, no };
  });
  if (pending !== null) {
    const p: { text: string; no: number } = pending;
    parseLine(p.text, p.no, true);
  }
  // (assigned in the callback above: TypeScript's narrowing does not see it)
  const final = mode as "unknown" | "lines" | "whole";
  if (final === "whole") parseWhole(file, whole.join("\n"), builder);
  if (final === "unknown") throw new TraceInputError(file, 0, "empty input: not a functrace recording");
  return builder.finish();
}

function parseWhole(file: string, text: string, builder: ChromeBuilder): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // A run cut short: the array is missing its `]`.
    try {
      value = JSON.parse(text.replace(/,?\s*$/, "") + "]");
    } catch {
      const at = jsonErrorOffset(text);
      const line = at >= 0 ? lineAt(text, at) : 0;
      throw new TraceInputError(file, line, `not a Chrome trace file: ${shortJsonError(e)}`);
    }
  }
  const events = Array.isArray(value) ? value : (value as { traceEvents?: unknown } | null)?.traceEvents;
  if (!Array.isArray(events)) throw new TraceInputError(file, 1, "not a Chrome trace file: expected an array of events or {\"traceEvents\": [...]}");
  for (const e of events) builder.event(e, 0);
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let k = text.indexOf("\n"); k !== -1 && k < offset; k = text.indexOf("\n", k + 1)) line++;
  return line;
}

function shortJsonError(e: unknown): string {
  const message = String((e as Error)?.message ?? e);
  return message.length > 160 ? message.slice(0, 157) + "..." : message;
}

/** Turns events into the model: X events are spans; parents are resolved by span id at the end. */
class ChromeBuilder {
  readonly model: TraceModel;
  private readonly _ids = new Map<string, number>();
  private _parents: (string | undefined)[] = [];
  private _spans = 0;
  private _withoutIds = false;

  constructor(private readonly _file: string) {
    this.model = new TraceModel({ file: _file, format: "chrome", timeUnit: "us" });
  }

  event(raw: unknown, no: number): void {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new TraceInputError(this._file, no, "not a trace event (expected a JSON object)");
    const e = raw as ChromeEvent;
    if (e.ph !== "X") {
      // {"traceEvents": [...]} on one line
      const nested = (raw as { traceEvents?: unknown }).traceEvents;
      if (Array.isArray(nested)) for (const x of nested) this.event(x, no);
      return;
    }
    const m = this.model;
    const ts = Number(e.ts);
    const dur = Number(e.dur ?? 0);
    if (!Number.isFinite(ts) || !Number.isFinite(dur)) throw new TraceInputError(this._file, no, "an X event without a numeric ts/dur");
    const args = e.args ?? {};
    const flow = m.flowOf(Number(e.pid ?? 0) || 0, Number(e.tid ?? 0) || 0);
    const depth = Number(args.depth ?? 0) || 0;
    const i = m.add(String(e.name ?? "?"), flow, ts, depth);
    m.stop[i] = ts + dur;
    m.dur[i] = dur;
    let flags = 0;
    if (typeof e.cat === "string" && e.cat.includes("async")) flags |= FLAG_ASYNC;
    if (args.error !== undefined) {
      flags |= FLAG_FAILED;
      m.error[i] = m.intern(String(args.error));
    }
    if (typeof args.file === "string") {
      const colon = args.file.lastIndexOf(":");
      const line = colon > 0 ? Number(args.file.slice(colon + 1)) : NaN;
      if (Number.isInteger(line)) {
        m.file[i] = m.intern(args.file.slice(0, colon));
        m.line[i] = line;
      } else {
        m.file[i] = m.intern(args.file);
      }
    }
    if (typeof args.http === "string") {
      flags |= FLAG_REQUEST;
      const f = m.flows[flow];
      if (f.request === undefined) f.request = args.http;
    }
    if (typeof args.trace_id === "string" && m.flows[flow].traceId === undefined) m.flows[flow].traceId = args.trace_id;
    m.flags[i] = flags;
    if (typeof args.span_id === "string") this._ids.set(args.span_id, i);
    else this._withoutIds = true;
    this._parents[i] = typeof args.parent_id === "string" ? args.parent_id : undefined;
    this._spans++;
  }

  finish(): TraceModel {
    const m = this.model;
    for (let i = 0; i < m.count; i++) {
      const p = this._parents[i];
      if (p !== undefined) m.parent[i] = this._ids.get(p) ?? -1;
    }
    this._parents = [];
    if (this._withoutIds) nestByTime(m);
    return m;
  }
}

/** Spans of other tools' files carry no ids: a span's parent is the innermost span of its track that contains it. */
function nestByTime(m: TraceModel): void {
  const order = Array.from({ length: m.count }, (_, i) => i).filter((i) => m.parent[i] === -1);
  order.sort((a, b) => m.flow[a] - m.flow[b] || m.start[a] - m.start[b] || m.stop[b] - m.stop[a]);
  const stack: number[] = [];
  let flow = -1;
  for (const i of order) {
    if (m.flow[i] !== flow) {
      flow = m.flow[i];
      stack.length = 0;
    }
    while (stack.length > 0 && m.stop[stack[stack.length - 1]] <= m.start[i]) stack.pop();
    if (stack.length > 0) m.parent[i] = stack[stack.length - 1];
    if (m.depth[i] === 0) m.depth[i] = stack.length + 1;
    stack.push(i);
  }
}
