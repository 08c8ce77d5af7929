import { ASYNC, FAILED, REQUEST, type Flow, type Frame } from "../frame.js";
import { FlowLink, spanIdFromNumber, traceLinkOf } from "./span-ids.js";
import type { ExportedSpan, SpanOrigin } from "./exported-span.js";
import type { RequestInfo } from "../frame.js";

/** Parent column values besides a frame id (> 0). */
export const ROOT_PARENT = 0;
/** The parent is the flow's foreign (OpenTelemetry) span: its id is in `foreignParents`. */
export const FOREIGN_PARENT = -1;

const ROW_FAILED = 1;
const ROW_ASYNC = 2;
/** The server span of an incoming request (its flow, the trace anchor, holds the request). */
const ROW_REQUEST = 4;

/**
 * A batch of finished calls in columns: typed arrays for the numbers, plain arrays for the
 * strings, and per row the trace link of its flow (the trace id, created once per root flow).
 * The export sink copies a few fields per call into these and keeps no Frame or Flow alive:
 * records die young and the GC never promotes them. Exporters read rows from here at batch time (ZipkinJsonExporter serializes
 * straight from the columns; others get ExportedSpan objects built from them).
 */
export class SpanColumns {
  length = 0;
  ids: Float64Array;
  /** A frame id, ROOT_PARENT or FOREIGN_PARENT. */
  parents: Float64Array;
  starts: Float64Array;
  ends: Float64Array;
  flowIds: Uint32Array;
  depths: Uint32Array;
  lines: Uint32Array;
  flags: Uint8Array;
  names: string[] = [];
  files: string[] = [];
  /** The link holding each row's trace id (see traceLinkOf). */
  traceLinks: (FlowLink | null)[] = [];
  /** Sparse: the error of a failed row, the foreign parent span id of a FOREIGN_PARENT row. */
  readonly errors = new Map<number, unknown>();
  /** Sparse: the request of a server span row. */
  readonly requests = new Map<number, RequestInfo>();
  readonly foreignParents = new Map<number, string>();
  /** Sparse: the flow of a row that is its flow's first call and came from another flow (lineage). */
  readonly entries = new Map<number, Flow>();
  /** The trace anchor of the last row pushed, and its link (calls of one flow follow each other). */
  private _lastAnchor: Flow | null = null;
  private _lastLink: FlowLink | null = null;

  constructor(capacity = 1024) {
    this.ids = new Float64Array(capacity);
    this.parents = new Float64Array(capacity);
    this.starts = new Float64Array(capacity);
    this.ends = new Float64Array(capacity);
    this.flowIds = new Uint32Array(capacity);
    this.depths = new Uint32Array(capacity);
    this.lines = new Uint32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  /** Appends a closed frame whose parent is already resolved (a frame id, ROOT_PARENT or FOREIGN_PARENT). */
  push(frame: Frame, parent: number, foreignParent?: string): void {
    const i = this.length;
    if (i === this.ids.length) this._grow();
    this.ids[i] = frame.id;
    this.parents[i] = parent;
    this.starts[i] = frame.start;
    this.ends[i] = frame.end;
    const flow = frame.flow;
    this.flowIds[i] = flow.id;
    this.depths[i] = frame.depth;
    this.lines[i] = frame.line > 0 ? frame.line : 0;
    const flags = frame.flags;
    this.flags[i] = ((flags & FAILED) !== 0 ? ROW_FAILED : 0) | ((flags & ASYNC) !== 0 ? ROW_ASYNC : 0) | ((flags & REQUEST) !== 0 ? ROW_REQUEST : 0);
    this.names[i] = frame.name;
    this.files[i] = frame.file;
    const anchor = traceSource(flow);
    if (anchor !== this._lastAnchor) {
      this._lastAnchor = anchor;
      this._lastLink = traceLinkOf(anchor);
    }
    this.traceLinks[i] = this._lastLink;
    if ((flags & REQUEST) !== 0 && anchor.request !== null) this.requests.set(i, anchor.request);
    if ((flags & FAILED) !== 0) this.errors.set(i, frame.error);
    if (foreignParent !== undefined) this.foreignParents.set(i, foreignParent);
    if (flow.fromSpanId !== 0) {
      const caller = frame.parent;
      if (caller === null || caller.flow !== flow) this.entries.set(i, flow);
    }
    this.length = i + 1;
  }

  failed(i: number): boolean {
    return (this.flags[i] & ROW_FAILED) !== 0;
  }
  async(i: number): boolean {
    return (this.flags[i] & ROW_ASYNC) !== 0;
  }

  /** For the server span of an incoming request: the request (method, path, status). */
  request(i: number): RequestInfo | null {
    return (this.flags[i] & ROW_REQUEST) !== 0 ? (this.requests.get(i) ?? null) : null;
  }

  /** Where row i's flow came from, when row i is the flow's first call (null otherwise). */
  origin(i: number): SpanOrigin | null {
    const flow = this.entries.get(i);
    if (flow === undefined) return null;
    const linked = flow.linkedFrom;
    return {
      flowId: flow.fromFlowId,
      spanId: spanIdFromNumber(flow.fromSpanId),
      traceId: linked === null ? undefined : traceLinkOf(linked).traceId,
    };
  }

  /** The link holding the trace id of row i. */
  traceLink(i: number): FlowLink {
    return this.traceLinks[i]!;
  }

  /** The trace id of row i. */
  traceId(i: number): string {
    return this.traceLink(i).traceId;
  }

  /** The parent span id of row i, undefined for a root. */
  parentSpanId(i: number): string | undefined {
    const parent = this.parents[i];
    if (parent > 0) return spanIdFromNumber(parent);
    return parent === FOREIGN_PARENT ? this.foreignParents.get(i) : undefined;
  }

  /** Row i as an ExportedSpan object (for exporters that take objects). */
  toSpan(i: number): ExportedSpan {
    return {
      traceId: this.traceId(i),
      spanId: spanIdFromNumber(this.ids[i]),
      parentSpanId: this.parentSpanId(i),
      name: this.names[i],
      file: this.files[i],
      line: this.lines[i],
      flowId: this.flowIds[i],
      depth: this.depths[i],
      start: this.starts[i],
      end: this.ends[i],
      failed: this.failed(i),
      error: this.errors.get(i),
      async: this.async(i),
      request: this.request(i) ?? undefined,
      origin: this.origin(i) ?? undefined,
    };
  }

  /** Rows [from, to) as ExportedSpan objects. */
  toSpans(from = 0, to = this.length): ExportedSpan[] {
    const out = new Array<ExportedSpan>(Math.max(0, to - from));
    for (let i = from; i < to; i++) out[i - from] = this.toSpan(i);
    return out;
  }

  /** Empties the batch and lets go of what it referenced (flows, errors). */
  reset(): void {
    this.traceLinks.fill(null, 0, this.length);
    this.errors.clear();
    this.requests.clear();
    this.foreignParents.clear();
    this.entries.clear();
    this._lastAnchor = null;
    this._lastLink = null;
    this.length = 0;
  }

  /** Appends rows [from, to) of another batch (an exporter queue keeps rows as columns until it sends them). */
  appendRows(src: SpanColumns, from: number, to: number): void {
    const at = this.length;
    const count = to - from;
    if (count <= 0) return;
    while (this.ids.length < at + count) this._grow();
    const numbers = this._numbers();
    const theirs = src._numbers();
    for (let k = 0; k < numbers.length; k++) numbers[k].set(theirs[k].subarray(from, to), at);
    for (let i = 0; i < count; i++) {
      this.names[at + i] = src.names[from + i];
      this.files[at + i] = src.files[from + i];
      this.traceLinks[at + i] = src.traceLinks[from + i];
    }
    const shift = at - from;
    copySparse(src.errors, this.errors, from, to, shift);
    copySparse(src.requests, this.requests, from, to, shift);
    copySparse(src.foreignParents, this.foreignParents, from, to, shift);
    copySparse(src.entries, this.entries, from, to, shift);
    this._lastAnchor = null;
    this.length = at + count;
  }

  /** Removes the first `n` rows (sent), moving the rest to the front. */
  dropFront(n: number): void {
    if (n >= this.length) {
      this.reset();
      return;
    }
    const end = this.length;
    for (const column of this._numbers()) column.copyWithin(0, n, end);
    this.names.copyWithin(0, n, end);
    this.files.copyWithin(0, n, end);
    this.traceLinks.copyWithin(0, n, end);
    this.traceLinks.fill(null, end - n, end);
    for (const map of [this.errors, this.requests, this.foreignParents, this.entries] as Map<number, unknown>[]) {
      if (map.size === 0) continue;
      const kept = [...map].filter(([i]) => i >= n);
      map.clear();
      for (const [i, value] of kept) map.set(i - n, value);
    }
    this._lastAnchor = null;
    this.length = end - n;
  }

  /** The numeric columns, in one order (for copies of whole rows). */
  private _numbers(): (Float64Array | Uint32Array | Uint8Array)[] {
    return [this.ids, this.parents, this.starts, this.ends, this.flowIds, this.depths, this.lines, this.flags];
  }

  private _grow(): void {
    const size = Math.max(16, this.ids.length * 2);
    const grow = <T extends Float64Array | Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.ids = grow(this.ids, (n) => new Float64Array(n));
    this.parents = grow(this.parents, (n) => new Float64Array(n));
    this.starts = grow(this.starts, (n) => new Float64Array(n));
    this.ends = grow(this.ends, (n) => new Float64Array(n));
    this.flowIds = grow(this.flowIds, (n) => new Uint32Array(n));
    this.depths = grow(this.depths, (n) => new Uint32Array(n));
    this.lines = grow(this.lines, (n) => new Uint32Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
  }
}

/** Copies the entries of rows [from, to) of a sparse column, at row + shift. */
function copySparse<V>(src: Map<number, V>, dst: Map<number, V>, from: number, to: number, shift: number): void {
  if (src.size === 0) return;
  for (const [i, value] of src) if (i >= from && i < to) dst.set(i + shift, value);
}

/** The flow whose trace this call belongs to (its anchor: see Flow.trace and traceLinkOf). */
export function traceSource(flow: Flow): Flow {
  return flow.trace;
}
