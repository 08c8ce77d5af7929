import { performance } from "node:perf_hooks";
import { FAILED, type Flow, type Frame } from "../frame.js";
import { TreePrinter } from "../sinks/tree-printer.js";
import { FlowLink } from "../export/span-ids.js";
import { ZipkinEncoder } from "../export/zipkin/zipkin-encoder.js";
import { resourceTags } from "../export/zipkin/resource-tags.js";
import type { ExportedSpan } from "../export/exported-span.js";
import type { Destination } from "../buffered-writer.js";
import type { Recording, RecordedEvent, RecordedFlow } from "./reader.js";

/**
 * Renderers of a recording: the Go-format tree (replayed through the live TreePrinter, so the
 * bytes are those the printer would have written), a Chrome/Perfetto trace, Zipkin v2 JSON and
 * OTLP/JSON. Filters apply at render time.
 */

/** Which part of a recording to render. Every field is optional; all given must hold. */
export interface RenderFilter {
  /** Only these flows (g[NN] numbers). */
  flows?: readonly number[];
  /** Only the flows (call chains) that contain a call whose name matches one of these (`*`, `?`). */
  functions?: readonly string[];
  /** Only the flows of requests whose `METHOD /path` contains one of these, or whose trace id starts with one. */
  requests?: readonly string[];
  /** Time window, ms since the recorded process's time origin (Chrome's ts / 1000): spans that overlap it. */
  from?: number;
  to?: number;
}

export interface TreeRenderOptions {
  /** stdout or a file (default stdout). */
  output?: Destination;
  durations?: boolean;
  timestamps?: boolean;
  color?: boolean;
}

/** Events kept by the filter, in order. */
export function filterEvents(recording: Recording, filter: RenderFilter = {}): RecordedEvent[] {
  const { events } = recording;
  let flows: Set<number> | null = filter.flows !== undefined ? new Set(filter.flows) : null;
  const and = (keep: Set<number>): void => {
    flows = flows === null ? keep : new Set([...flows].filter((id) => keep.has(id)));
  };
  if (filter.functions !== undefined) {
    const match = patterns(filter.functions);
    const keep = new Set<number>();
    for (const e of events) {
      if (e.kind === "enter" && match(e.site.name)) keep.add(e.flowId);
      else if (e.kind === "exit" && match(e.site.name)) keep.add(e.flowId);
    }
    and(keep);
  }
  if (filter.requests !== undefined) {
    const wanted = filter.requests;
    const keep = new Set<number>();
    for (const flow of recording.flows.values()) {
      const trace = recording.traces.get(flow.traceFlowId);
      if (trace?.request === undefined) continue;
      const text = `${trace.request.method} ${trace.request.path}`;
      if (wanted.some((w) => text.includes(w) || trace.traceId.startsWith(w))) keep.add(flow.id);
    }
    and(keep);
  }
  const from = filter.from ?? -Infinity;
  const to = filter.to ?? Infinity;
  const windowed = filter.from !== undefined || filter.to !== undefined;
  const ends = new Map<number, number>();
  const starts = new Map<number, number>();
  if (windowed) {
    for (const e of events) {
      if (e.kind === "exit") ends.set(e.spanId, e.time);
      else if (e.kind === "enter") starts.set(e.spanId, e.time);
    }
  }
  const inWindow = (span: number): boolean => (starts.get(span) ?? -Infinity) <= to && (ends.get(span) ?? Infinity) >= from;
  const flowOk = (id: number): boolean => flows === null || (flows as Set<number>).has(id);
  if (flows === null && !windowed) return events.slice();
  return events.filter((e) => {
    switch (e.kind) {
      case "enter":
      case "exit":
        return flowOk(e.flowId) && (!windowed || inWindow(e.spanId));
      case "server":
        return flowOk(e.flowId) && (!windowed || (e.start <= to && e.end >= from));
      case "handoff":
        return (flowOk(e.fromFlowId) || e.moved.some((m) => flowOk(m.flowId))) && (!windowed || (e.time >= from && e.time <= to));
    }
  });
}

function patterns(list: readonly string[]): (name: string) => boolean {
  const res = list.map((p) => new RegExp("^" + p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$"));
  return (name) => res.some((re) => re.test(name));
}

/** Stand-ins for the engine's Flow objects, with what the printer and exporters read. */
function flowTable(recording: Recording): (id: number) => Flow {
  const made = new Map<number, Flow>();
  const get = (id: number): Flow => {
    let flow = made.get(id);
    if (flow !== undefined) return flow;
    const rec: RecordedFlow | undefined = recording.flows.get(id);
    flow = {
      id,
      parentId: rec?.parentId ?? 0,
      fromFlowId: rec?.fromFlowId ?? 0,
      fromSpanId: rec?.fromSpanId ?? 0,
      fromName: rec?.fromName ?? "",
      linkedFrom: null,
      sampled: rec?.sampled ?? true,
      request: null,
      shown: false,
      ext: undefined,
    } as unknown as Flow;
    made.set(id, flow);
    const anchorId = rec?.traceFlowId ?? id;
    const trace = recording.traces.get(anchorId);
    const anchor = anchorId === id ? flow : get(anchorId);
    (flow as { trace: Flow }).trace = anchor;
    if (anchor === flow && trace !== undefined) {
      flow.ext = new FlowLink(trace.traceId, trace.parentSpanId);
      if (trace.request !== undefined) flow.request = { ...trace.request, status: 0 };
    }
    return flow;
  };
  return get;
}

function pseudoFrame(id: number, name: string, flow: Flow, depth: number, start: number): Frame {
  return { id, name, file: "", line: 0, flow, depth, parent: null, saved: null, start, end: -0, error: undefined, flags: 0, kids: null, storeBefore: undefined, ext: undefined } as unknown as Frame;
}

/** An error value whose one-line description (describeError) is the recorded text. */
function recordedError(text: string | undefined): unknown {
  const value = text ?? "";
  return { toString: () => value };
}

/**
 * Renders the Go-format tree, byte for byte what the live TreePrinter with the same options
 * printed for the same run (and the same filters applied to its lines' events).
 */
export async function renderTree(recording: Recording, options: TreeRenderOptions = {}, filter: RenderFilter = {}): Promise<void> {
  const events = filterEvents(recording, filter);
  const printer = new TreePrinter({ output: options.output ?? "stdout", durations: options.durations, timestamps: options.timestamps, color: options.color ?? false });
  const flowOf = flowTable(recording);
  const open = new Map<number, Frame>();
  // With timestamps, times are moved onto this process's time origin (the printer adds its own).
  const shift = options.timestamps === true ? recording.header.timeOrigin - performance.timeOrigin : 0;
  for (const e of events) {
    if (e.kind === "enter") {
      const frame = pseudoFrame(e.spanId, e.site.name, flowOf(e.flowId), e.depth, e.time + shift);
      open.set(e.spanId, frame);
      printer.onEnter(frame);
    } else if (e.kind === "exit") {
      const frame = open.get(e.spanId) ?? pseudoFrame(e.spanId, e.site.name, flowOf(e.flowId), e.depth, e.time + shift);
      open.delete(e.spanId);
      frame.flow = flowOf(e.flowId);
      frame.depth = e.depth;
      frame.end = e.time + shift;
      if (e.failed) {
        frame.flags |= FAILED;
        frame.error = recordedError(e.error);
      }
      printer.onExit(frame);
    } else if (e.kind === "handoff") {
      const frames = e.moved.map((m) => {
        const frame = open.get(m.spanId) ?? pseudoFrame(m.spanId, m.site.name, flowOf(m.flowId), m.depth, 0);
        frame.flow = flowOf(m.flowId);
        frame.depth = m.depth;
        return frame;
      });
      withClock(options.timestamps === true ? e.time + shift : undefined, () => printer.onHandoff(frames, flowOf(e.fromFlowId), e.depthShift));
    }
  }
  printer.shutdown();
}

/** The printer reads the clock for handoff lines: give it the recorded time. */
function withClock(time: number | undefined, fn: () => void): void {
  if (time === undefined) return fn();
  const g = globalThis.performance as { now: () => number };
  const own = Object.prototype.hasOwnProperty.call(g, "now");
  const before = g.now;
  g.now = () => time;
  try {
    fn();
  } finally {
    if (own) g.now = before;
    else delete (g as { now?: unknown }).now;
  }
}

/** One finished span of a recording, as the exporters would have built it. */
export interface RenderedSpan extends ExportedSpan {
  readonly spanNumber: number;
}

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, "0");

/** Spans (finished calls and request spans) of the filtered recording, in end order. Times: performance.now() ms of the recorded process. */
export function recordedSpans(recording: Recording, filter: RenderFilter = {}): RenderedSpan[] {
  const events = filterEvents(recording, filter);
  const { header } = recording;
  const flowOf = flowTable(recording);
  const spanId = (seq: number): string => hex8((header.spanHigh + Math.floor(seq / 0x1_0000_0000)) >>> 0) + hex8(seq >>> 0);
  const traceOf = (flowId: number): { id: string; parent: string | undefined } => {
    const anchor = flowOf(flowId).trace;
    const link = anchor.ext instanceof FlowLink ? anchor.ext : undefined;
    if (link !== undefined) return { id: link.traceId, parent: link.parentSpanId };
    // a trace id the process would have generated at export time: made up, stable per recording
    return { id: hex8(header.spanHigh) + hex8(header.pid) + hex8(Math.floor(header.timeOrigin) >>> 0) + hex8(anchor.id), parent: undefined };
  };
  const enters = new Map<number, { parent: number; start: number; file: string; line: number }>();
  const traceBySpan = new Map<number, string>();
  const firstOfFlow = new Set<number>();
  const spans: RenderedSpan[] = [];
  const servers = new Map<number, number>();
  for (const e of events) if (e.kind === "server") servers.set(e.flowId, e.spanId);
  for (const e of events) {
    if (e.kind === "enter") {
      enters.set(e.spanId, { parent: e.parentSpanId, start: e.time, file: e.site.file, line: e.site.line });
      traceBySpan.set(e.spanId, traceOf(e.flowId).id);
    } else if (e.kind === "exit" || e.kind === "server") {
      const server = e.kind === "server";
      const flow = flowOf(e.flowId);
      const trace = traceOf(e.flowId);
      const entered = server ? undefined : enters.get(e.spanId);
      const parentSeq = entered?.parent ?? 0;
      let parentSpanId: string | undefined;
      if (parentSeq !== 0 && (traceBySpan.get(parentSeq) ?? trace.id) === trace.id) parentSpanId = spanId(parentSeq);
      else if (!server && servers.has(e.flowId) && parentSeq === servers.get(e.flowId)) parentSpanId = spanId(parentSeq);
      else parentSpanId = trace.parent;
      let origin: ExportedSpan["origin"];
      if (!server && flow.fromSpanId !== 0 && !firstOfFlow.has(flow.id)) {
        firstOfFlow.add(flow.id);
        const fromTrace = traceBySpan.get(flow.fromSpanId);
        origin = { flowId: flow.fromFlowId, spanId: spanId(flow.fromSpanId), traceId: fromTrace !== undefined && fromTrace !== trace.id ? fromTrace : undefined };
      }
      spans.push({
        spanNumber: e.spanId,
        traceId: trace.id,
        spanId: spanId(e.spanId),
        parentSpanId,
        name: server ? e.name : e.site.name,
        file: server ? "" : e.site.file,
        line: server ? 0 : e.site.line,
        flowId: e.flowId,
        depth: server ? 0 : e.depth,
        start: server ? e.start : (entered?.start ?? e.time),
        end: server ? e.end : e.time,
        failed: e.failed,
        error: e.failed ? recordedError(e.error) : undefined,
        async: server ? false : e.async,
        request: server && flow.trace.request !== null ? { method: flow.trace.request.method, path: flow.trace.request.path, status: e.status } : undefined,
        origin,
      });
    }
  }
  return spans;
}

const micros = (ms: number): number => Math.round(ms * 1_000_000) / 1000;

/** A Chrome/Perfetto Trace Event file (JSON array): one track per flow, flow arrows from spawning calls. */
export function renderChrome(recording: Recording, filter: RenderFilter = {}): string {
  const pid = recording.header.pid;
  const out: string[] = [JSON.stringify({ name: "process_name", ph: "M", ts: 0, pid, tid: 0, args: { name: `functrace (${pid})` } })];
  const named = new Set<number>();
  const times = new Map<string, [number, number]>();
  const spans = recordedSpans(recording, filter).sort((a, b) => a.start - b.start || a.depth - b.depth);
  for (const s of spans) times.set(s.spanId, [micros(s.start), micros(s.end)]);
  for (const s of spans) {
    if (!named.has(s.flowId)) {
      named.add(s.flowId);
      out.push(JSON.stringify({ name: "thread_name", ph: "M", ts: 0, pid, tid: s.flowId, args: { name: `g[${String(s.flowId).padStart(2, "0")}]` } }));
    }
    const args: Record<string, unknown> = { span_id: s.spanId, depth: s.depth };
    if (s.parentSpanId !== undefined) args.parent_id = s.parentSpanId;
    if (s.file !== "") args.file = `${s.file}:${s.line}`;
    if (s.failed) args.error = String(s.error);
    if (s.request !== undefined) {
      args.http = `${s.request.method} ${s.request.path} ${s.request.status}`;
      args.trace_id = s.traceId;
    }
    const ts = micros(s.start);
    const dur = Math.round((micros(s.end) - ts) * 1000) / 1000;
    out.push(JSON.stringify({ name: s.name, cat: s.async ? "function,async" : "function", ph: "X", ts, dur, pid, tid: s.flowId, args }));
    if (s.origin !== undefined) {
      const from = times.get(s.origin.spanId);
      const at = from === undefined ? ts : Math.max(from[0], Math.min(ts, from[1] - 0.001));
      out.push(JSON.stringify({ name: "spawn", cat: "flow", ph: "s", id: s.flowId, ts: at, pid, tid: s.origin.flowId }));
      out.push(JSON.stringify({ name: "spawn", cat: "flow", ph: "f", bp: "e", id: s.flowId, ts, pid, tid: s.flowId }));
    }
  }
  return "[" + out.join(",\n") + "\n]\n";
}

/** Zipkin v2 JSON (what the Zipkin exporter would have sent, in one array). */
export function renderZipkin(recording: Recording, filter: RenderFilter = {}, serviceName?: string): string {
  const tags = resourceTags(serviceName);
  const encoder = new ZipkinEncoder(tags["service.name"], tags);
  // the encoder adds this process's time origin: move the recorded times onto it
  const shift = recording.header.timeOrigin - performance.timeOrigin;
  const spans = recordedSpans(recording, filter).map((s) => ({ ...s, start: s.start + shift, end: s.end + shift }));
  if (spans.length === 0) return "[]\n";
  return Buffer.from(encoder.encodeSpans(spans)).toString("utf8") + "\n";
}

/** OTLP/JSON (ExportTraceServiceRequest): one resource, one scope, every span. */
export function renderOtlpJson(recording: Recording, filter: RenderFilter = {}, serviceName?: string): string {
  const origin = recording.header.timeOrigin;
  const nanos = (ms: number): string => (BigInt(Math.round((origin + ms) * 1000)) * 1000n).toString();
  const tags = resourceTags(serviceName);
  const attr = (key: string, value: string | number): object =>
    typeof value === "number" ? { key, value: { intValue: String(value) } } : { key, value: { stringValue: value } };
  const spans = recordedSpans(recording, filter).map((s) => {
    const attributes = [attr("code.function.name", s.name), attr("functrace.flow", s.flowId), attr("functrace.depth", s.depth)];
    if (s.file !== "") attributes.push(attr("code.file.path", s.file), attr("code.line.number", s.line));
    if (s.request !== undefined) attributes.push(attr("http.request.method", s.request.method), attr("url.path", s.request.path), attr("http.response.status_code", s.request.status));
    const span: Record<string, unknown> = {
      traceId: s.traceId,
      spanId: s.spanId,
      name: s.name,
      kind: s.request !== undefined ? 2 : 1,
      startTimeUnixNano: nanos(s.start),
      endTimeUnixNano: nanos(s.end),
      attributes,
      status: s.failed ? { code: 2, message: String(s.error) } : {},
    };
    if (s.parentSpanId !== undefined) span.parentSpanId = s.parentSpanId;
    if (s.failed) span.events = [{ name: "exception", timeUnixNano: nanos(s.end), attributes: [attr("exception.message", String(s.error))] }];
    if (s.origin?.traceId !== undefined) span.links = [{ traceId: s.origin.traceId, spanId: s.origin.spanId }];
    return span;
  });
  const resource = { attributes: Object.entries(tags).map(([k, v]) => attr(k, v)) };
  return JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: "functrace" }, spans }] }] }) + "\n";
}

