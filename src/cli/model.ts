/**
 * The in-memory form of a recording that the CLI commands work on, whatever file it came from:
 * one row per span in numeric columns (typed arrays, grown by doubling) and one string table, so
 * a million spans cost tens of megabytes, not a million objects.
 */

/** Where a recording came from and how its times read. */
export interface TraceSource {
  /** The file name as the user gave it ("<stdin>" for standard input). */
  readonly file: string;
  readonly format: string;
  /** "us": start/dur are microseconds; "line": the tree had no times, they are line numbers. */
  readonly timeUnit: "us" | "line";
}

/** One flow (`g[NN]`) of one process. */
export interface FlowInfo {
  /** The flow number as the runtime printed it (NN of g[NN]). */
  readonly id: number;
  /** Process id, 0 when the recording names none. */
  readonly pid: number;
  /** Index of the flow's first span, -1 while it has none. */
  first: number;
  /** The request this flow serves when the recording says so (`GET /items/3 200`). */
  request?: string;
  /** The trace id (full in Chrome files, the first 8 hex digits in the tree text). */
  traceId?: string;
}

export const FLAG_ASYNC = 1;
export const FLAG_FAILED = 2;
/** The call never ended in the recording (cut short, or still running at exit). */
export const FLAG_UNFINISHED = 4;
/** The server span of an incoming request. */
export const FLAG_REQUEST = 8;

export class TraceModel {
  count = 0;
  strings: string[] = [];
  private readonly _index = new Map<string, number>();
  name = new Int32Array(1024);
  flow = new Int32Array(1024);
  start = new Float64Array(1024);
  /** Where the span ends, in the unit of `start` (NaN while unknown). */
  stop = new Float64Array(1024);
  /** The duration in microseconds, NaN when unknown (a tree without durations, an unfinished call). */
  dur = new Float64Array(1024);
  depth = new Int32Array(1024);
  /** Index of the parent span (possibly in another flow), -1 for a root or an unknown parent. */
  parent = new Int32Array(1024);
  file = new Int32Array(1024);
  line = new Int32Array(1024);
  error = new Int32Array(1024);
  flags = new Uint8Array(1024);
  readonly flows: FlowInfo[] = [];
  private readonly _flowIndex = new Map<string, number>();

  /** Tree text: lines that were not tree lines (skipped), the first of them, exits without a matching entry. */
  skippedLines = 0;
  firstSkipped: number | undefined;
  ignoredExits = 0;

  constructor(public source: TraceSource) {}

  /** The index of a string in the table, added when new. */
  intern(text: string): number {
    let i = this._index.get(text);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(text);
      this._index.set(text, i);
    }
    return i;
  }

  /** The index of flow `id` of process `pid`, added when new. */
  flowOf(pid: number, id: number): number {
    const key = pid + ":" + id;
    let i = this._flowIndex.get(key);
    if (i === undefined) {
      i = this.flows.length;
      this.flows.push({ id, pid, first: -1 });
      this._flowIndex.set(key, i);
    }
    return i;
  }

  /** Appends a span; returns its index. Columns not given are "unknown". */
  add(name: string, flow: number, start: number, depth: number): number {
    const i = this.count;
    if (i === this.name.length) this._grow();
    this.count = i + 1;
    this.name[i] = this.intern(name);
    this.flow[i] = flow;
    this.start[i] = start;
    this.stop[i] = NaN;
    this.dur[i] = NaN;
    this.depth[i] = depth;
    this.parent[i] = -1;
    this.file[i] = -1;
    this.line[i] = 0;
    this.error[i] = -1;
    this.flags[i] = 0;
    const f = this.flows[flow];
    if (f.first === -1 || start < this.start[f.first]) f.first = i;
    return i;
  }

  nameOf(i: number): string {
    return this.strings[this.name[i]];
  }

  /** `g[02]`, or `[4242] g[02]` when the recording has several processes. */
  flowLabel(flow: number): string {
    const f = this.flows[flow];
    const g = `g[${String(f.id).padStart(2, "0")}]`;
    return this.multiProcess() ? `[${f.pid}] ${g}` : g;
  }

  private _multi: boolean | undefined;
  multiProcess(): boolean {
    if (this._multi === undefined) {
      const pids = new Set(this.flows.map((f) => f.pid));
      this._multi = pids.size > 1;
    }
    return this._multi;
  }

  /**
   * The trace id of each flow: its own, else the one of the flow its first span's root chain
   * crosses (a flow spawned by a request's flow is in that request). Computed once, cached.
   */
  flowTraces(): (string | undefined)[] {
    if (this._traces !== undefined) return this._traces;
    const out: (string | undefined)[] = new Array(this.flows.length).fill(undefined);
    const done = new Uint8Array(this.flows.length);
    for (let f = 0; f < this.flows.length; f++) {
      // Walk up the origins until a flow with a known trace, then fill the path.
      const path: number[] = [];
      let cur = f;
      let found: string | undefined;
      while (cur !== -1 && done[cur] === 0) {
        done[cur] = 2; // on the path (guards against cycles in bad input)
        path.push(cur);
        if (this.flows[cur].traceId !== undefined) {
          found = this.flows[cur].traceId;
          break;
        }
        cur = this._originFlow(cur);
      }
      if (found === undefined && cur !== -1 && done[cur] === 1) found = out[cur];
      for (const p of path) {
        out[p] = found;
        done[p] = 1;
      }
    }
    this._traces = out;
    return out;
  }
  private _traces: (string | undefined)[] | undefined;

  /** The flow of the parent of a flow's first span (the flow that spawned it), or -1. */
  private _originFlow(flow: number): number {
    const first = this.flows[flow].first;
    if (first === -1) return -1;
    let p = this.parent[first];
    // The first span's parent may sit in the same flow (a request span); climb until the flow changes.
    let guard = 0;
    while (p !== -1 && this.flow[p] === flow && guard++ < 100_000) p = this.parent[p];
    return p === -1 ? -1 : this.flow[p];
  }

  private _grow(): void {
    const n = this.name.length * 2;
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.name = grow(this.name);
    this.flow = grow(this.flow);
    this.start = grow(this.start);
    this.stop = grow(this.stop);
    this.dur = grow(this.dur);
    this.depth = grow(this.depth);
    this.parent = grow(this.parent);
    this.file = grow(this.file);
    this.line = grow(this.line);
    this.error = grow(this.error);
    this.flags = grow(this.flags);
  }
}

/** A problem with the input, named by file and line: printed as is, exit code 1. */
export class TraceInputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(line > 0 ? `${file}:${line}: ${message}` : `${file}: ${message}`);
    this.name = "TraceInputError";
  }
}

/** 1.234ms / 12.3µs / 2.50s, as the tree printer writes durations; "-" when unknown. */
export function formatMicros(us: number): string {
  if (!Number.isFinite(us)) return "-";
  const ms = us / 1000;
  if (ms >= 1000) return (ms / 1000).toFixed(2) + "s";
  if (ms >= 1) return ms.toFixed(3) + "ms";
  return us.toFixed(1) + "µs";
}
