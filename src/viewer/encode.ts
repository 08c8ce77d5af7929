import { gzipSync } from "node:zlib";
import { FLAG_REQUEST, type TraceModel } from "../cli/model.js";

/** A group of flows shown together: one request (trace), or the flows under one root call. */
export interface ViewerGroup {
  label: string;
  traceId?: string;
  flows: number[];
  spans: number;
  start: number;
  end: number;
  failed: number;
}

export interface ViewerFlow {
  label: string;
  /** Where this flow's spans sit in the (flow, start)-sorted columns. */
  offset: number;
  count: number;
  group: number;
  /** The span (new index) that spawned this flow, in another flow; -1 for none. */
  origin: number;
  request?: string;
}

/** What the page reads before the columns: small, JSON. */
export interface ViewerMeta {
  title: string;
  file: string;
  format: string;
  timeUnit: "us" | "line";
  /** Ticks per unit: 1000 (ns per µs) or 1 (lines). */
  tick: number;
  count: number;
  t0: number;
  strings: string[];
  flows: ViewerFlow[];
  groups: ViewerGroup[];
  /** Column names, in the order their varint streams follow each other. */
  columns: string[];
}

/**
 * Encodes the model for the page, compactly: spans sorted by (flow, start), every column a
 * stream of LEB128 varints (starts as deltas from the previous span of the flow, parents as
 * distances), all gzipped (the page inflates it with the browser's own DecompressionStream)
 * and base64'd. About 4–6 bytes per span.
 */
export function encodeModel(model: TraceModel, title: string): { meta: ViewerMeta; data: string } {
  const n = model.count;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => model.flow[a] - model.flow[b] || model.start[a] - model.start[b] || model.depth[a] - model.depth[b]);
  const newIndex = new Int32Array(n);
  for (let k = 0; k < n; k++) newIndex[order[k]] = k;

  let t0 = Infinity;
  for (let i = 0; i < n; i++) if (model.start[i] < t0) t0 = model.start[i];
  if (!Number.isFinite(t0)) t0 = 0;
  const tick = model.source.timeUnit === "us" ? 1000 : 1;
  const ticks = (v: number): number => Math.max(0, Math.round((v - t0) * tick));

  const flows: ViewerFlow[] = model.flows.map((f, fi) => ({ label: model.flowLabel(fi), offset: 0, count: 0, group: -1, origin: -1, ...(f.request !== undefined ? { request: f.request } : {}) }));
  for (let k = 0; k < n; k++) flows[model.flow[order[k]]].count++;
  let off = 0;
  for (const f of flows) {
    f.offset = off;
    off += f.count;
  }
  // Each flow's origin: the parent of its first span when that parent sits in another flow.
  model.flows.forEach((f, fi) => {
    if (f.first === -1) return;
    let p = model.parent[f.first];
    while (p !== -1 && model.flow[p] === fi) p = model.parent[p];
    if (p !== -1) flows[fi].origin = newIndex[p];
  });

  const groups = groupFlows(model, flows);

  const w = new VarintWriter(n * 12);
  const columns = ["start", "dur", "depth", "name", "parent", "file", "line", "error", "flags", "realdur"];
  let prevFlow = -1;
  let prev = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const t = ticks(model.start[i]);
    if (model.flow[i] !== prevFlow) {
      prevFlow = model.flow[i];
      prev = 0;
    }
    w.uint(t - prev);
    prev = t;
  }
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const stop = model.stop[i];
    w.uint(Number.isFinite(stop) ? Math.max(0, ticks(stop) - ticks(model.start[i])) : 0);
  }
  for (let k = 0; k < n; k++) w.uint(Math.max(0, model.depth[order[k]]));
  for (let k = 0; k < n; k++) w.uint(model.name[order[k]]);
  for (let k = 0; k < n; k++) {
    const p = model.parent[order[k]];
    w.uint(p === -1 ? 0 : zigzag(k - newIndex[p]) + 1);
  }
  for (let k = 0; k < n; k++) w.uint(model.file[order[k]] + 1);
  for (let k = 0; k < n; k++) w.uint(model.line[order[k]]);
  for (let k = 0; k < n; k++) w.uint(model.error[order[k]] + 1);
  for (let k = 0; k < n; k++) w.uint(model.flags[order[k]]);
  // Durations in ns when the layout is in lines (a tree with durations); 0 = unknown.
  for (let k = 0; k < n; k++) {
    const d = model.dur[order[k]];
    w.uint(tick === 1 && Number.isFinite(d) ? Math.round(d * 1000) + 1 : 0);
  }
  const data = gzipSync(w.bytes(), { level: 6 }).toString("base64");
  const meta: ViewerMeta = {
    title,
    file: model.source.file,
    format: model.source.format,
    timeUnit: model.source.timeUnit,
    tick,
    count: n,
    t0,
    strings: model.strings,
    flows,
    groups,
    columns,
  };
  return { meta, data };
}

/** Flows of one trace id together; flows without one, with the flows under the same root span. */
function groupFlows(model: TraceModel, flows: ViewerFlow[]): ViewerGroup[] {
  const traces = model.flowTraces();
  const byKey = new Map<string, number>();
  const groups: ViewerGroup[] = [];
  const rootOf = (span: number): number => {
    let cur = span;
    for (let guard = 0; model.parent[cur] !== -1 && guard < model.count; guard++) cur = model.parent[cur];
    return cur;
  };
  model.flows.forEach((f, fi) => {
    if (f.first === -1) return;
    const trace = traces[fi];
    const root = rootOf(f.first);
    // Flows of one trace id together; the rest by the name of their root call (the flows under
    // one main, or the many one-call flows of module-level callbacks: one row, not thousands).
    const key = trace !== undefined ? "t:" + trace : "n:" + model.name[root];
    let g = byKey.get(key);
    if (g === undefined) {
      g = groups.length;
      byKey.set(key, g);
      groups.push({ label: "", flows: [], spans: 0, start: Infinity, end: -Infinity, failed: 0, ...(trace !== undefined ? { traceId: trace } : {}) });
    }
    const group = groups[g];
    group.flows.push(fi);
    flows[fi].group = g;
    if (group.label === "" || f.request !== undefined) {
      const request = f.request ?? requestOf(model, root);
      group.label = request !== undefined ? request : model.nameOf(root);
    }
  });
  for (let i = 0; i < model.count; i++) {
    const g = groups[flows[model.flow[i]].group];
    if (g === undefined) continue;
    g.spans++;
    if (model.start[i] < g.start) g.start = model.start[i];
    const stop = Number.isFinite(model.stop[i]) ? model.stop[i] : model.start[i];
    if (stop > g.end) g.end = stop;
    if ((model.flags[i] & 2) !== 0) g.failed++;
  }
  // In time order (the list reads like the run), flows of a group in time order too.
  const order = groups.map((_, i) => i).sort((a, b) => groups[a].start - groups[b].start);
  const renumber = new Int32Array(groups.length);
  order.forEach((g, i) => (renumber[g] = i));
  for (const f of flows) if (f.group >= 0) f.group = renumber[f.group];
  const sorted = order.map((g) => groups[g]);
  const firstStart = (fi: number): number => (model.flows[fi].first === -1 ? Infinity : model.start[model.flows[fi].first]);
  for (const g of sorted) g.flows.sort((a, b) => firstStart(a) - firstStart(b) || a - b);
  return sorted;
}

function requestOf(model: TraceModel, root: number): string | undefined {
  return (model.flags[root] & FLAG_REQUEST) !== 0 ? model.nameOf(root) : undefined;
}

function zigzag(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

class VarintWriter {
  private _buf: Uint8Array;
  private _pos = 0;

  constructor(size: number) {
    this._buf = new Uint8Array(Math.max(64, size));
  }

  uint(v: number): void {
    if (this._pos + 10 > this._buf.length) {
      const b = new Uint8Array(this._buf.length * 2);
      b.set(this._buf);
      this._buf = b;
    }
    const buf = this._buf;
    let p = this._pos;
    while (v >= 0x80) {
      buf[p++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    buf[p++] = v;
    this._pos = p;
  }

  bytes(): Uint8Array {
    return this._buf.subarray(0, this._pos);
  }
}
