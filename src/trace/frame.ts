/**
 * The runtime's cheap per-call record. One object per traced call, created by `enter` (or a
 * finished callee's, reused: engine.ts) and finished by `exit`; sinks and exporters read these
 * records (they become spans later, at export time, never on the hot path). Fields are assigned
 * in the constructor (and reuseFrame, in the same order and representations), so every Frame has
 * the same hidden class.
 */
/** Bits of Frame.flags (the engine's bookkeeping, packed to keep records small). */
export const CLOSED = 1;
export const SUSPENDED = 2;
export const ASYNC = 4;
export const FAILED = 8;
export const HIDDEN = 16;
/** An async call traced by the manual API: its continuations find it through ALS. */
export const ALS_SCOPED = 32;
/** Entered from untraced context: it owns the ALS store while its body runs. */
export const OWNER = 64;
/** It made itself the ALS store and must give back `storeBefore`. */
export const STORE_SET = 128;
/** An incoming HTTP request (a server span): the anchor of its own trace, not a function call. */
export const REQUEST = 256;
/** Something holds this frame past its exit (a pending callee, a manual trace(), an OpenTelemetry context): never reuse it. */
export const KEEP = 512;
/** The binary recording wrote this call's ENTER already (record-writer.ts: ENTERs are written lazily). */
export const ANNOUNCED = 1024;

export class Frame {
  /** Span id, unique in this process (a sequence number; exporters widen it to 64 bits). */
  readonly id: number;
  readonly name: string;
  readonly file: string;
  readonly line: number;
  /** The flow (g[NN]) this call belongs to. */
  flow: Flow;
  /** Logical call depth, 1 for a call with no traced caller. */
  depth: number;
  /**
   * The span this call is a child of (in the same flow, or the scheduler of a new flow). A
   * flow's first call lets go of a cross-flow parent once it has ended and been reported, so
   * finished flows do not keep each other alive.
   */
  parent: Frame | null;
  /** The frame to make current again when this call suspends or ends. */
  saved: Frame | null;
  /** performance.now() at enter and exit (milliseconds); 0 when the clock is off. */
  start: number;
  end: number;
  /** The thrown or rejected value, when `failed`. */
  error: unknown;
  /** CLOSED | SUSPENDED | ASYNC | FAILED | HIDDEN | ALS_SCOPED | OWNER | STORE_SET | REQUEST | KEEP. */
  flags: number;
  /** Async children in the same flow that have suspended and not finished yet (null: none). */
  kids: Frame[] | null;
  /** The ALS store this frame replaced (when STORE_SET). */
  storeBefore: Frame | undefined;
  /** Free slot for exporters (e.g. a prepared span context). */
  ext: unknown;
  /** A finished callee's frame, kept for this call's next callee (engine.ts: frame reuse). */
  spare: Frame | null;

  constructor(
    id: number,
    name: string,
    file: string,
    line: number,
    flow: Flow,
    depth: number,
    parent: Frame | null,
  ) {
    this.id = id;
    this.name = name;
    this.file = file;
    this.line = line;
    this.flow = flow;
    this.depth = depth;
    this.parent = parent;
    this.saved = null;
    // -0, not 0: a heap number gives these fields the double representation from the start.
    // Starting as small integers and turning into doubles at the first clock read deprecates
    // the Frame map, and every full GC then throws away the optimized tracer code (measured:
    // 2-3x slower per call right after a GC).
    this.start = -0;
    this.end = -0;
    this.error = undefined;
    this.flags = 0;
    this.kids = null;
    this.storeBefore = undefined;
    this.ext = undefined;
    this.spare = null;
  }

  /** How many async children in the same flow are still pending. */
  get pending(): number {
    return this.kids === null ? 0 : this.kids.length;
  }
  /** True once the call has ended. */
  get closed(): boolean {
    return (this.flags & CLOSED) !== 0;
  }
  /** True while suspended at an await or yield. */
  get suspended(): boolean {
    return (this.flags & SUSPENDED) !== 0;
  }
  /** True once the call has suspended at least once (an async call). */
  get async(): boolean {
    return (this.flags & ASYNC) !== 0;
  }
  /** True when the call threw or rejected (`error` holds the value). */
  get failed(): boolean {
    return (this.flags & FAILED) !== 0;
  }
  /** False for calls hidden by filters or sampling: kept for bookkeeping, not reported. */
  get visible(): boolean {
    return (this.flags & HIDDEN) === 0;
  }
}

/** What the tracer knows of an incoming HTTP request (set on the request's root flow). */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Makes a finished frame the record of a new call: every field as the constructor sets it,
 * except `spare` (a reused caller keeps its parked callee). Only the engine calls this, on a
 * frame no sink or program holds (engine.ts, "frame reuse").
 */
export function reuseFrame(frame: Frame, id: number, name: string, file: string, line: number, flow: Flow, depth: number, parent: Frame): Frame {
  const f = frame as Writable<Frame>;
  f.id = id;
  f.name = name;
  f.file = file;
  f.line = line;
  f.flow = flow;
  f.depth = depth;
  f.parent = parent;
  f.saved = null;
  f.start = -0;
  f.end = -0;
  f.error = undefined;
  f.flags = 0;
  f.kids = null;
  f.storeBefore = undefined;
  f.ext = undefined;
  return frame;
}

export interface RequestInfo {
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  /** The response status, once the response finished (0 before). */
  status: number;
}

/**
 * A logical thread of execution, shown as g[NN]. A flow holds no reference to the flows or
 * calls it came from, only their ids and the name of the call that spawned it: a chain of a
 * million callback hops (a test runner, a retry loop) keeps one flow alive, not a million.
 */
export class Flow {
  readonly id: number;
  /** The flow this one was forked from, in the same trace (0: none, a root flow). */
  readonly parentId: number;
  /**
   * Where this flow came from, for the reader: the flow and call that spawned it (0, 0, "" for a
   * flow with no origin). A forked flow comes from its parent; a request's root flow comes from
   * the call that created the server (its trace is new, its origin is kept as a link).
   */
  readonly fromFlowId: number;
  readonly fromSpanId: number;
  readonly fromName: string;
  /** For a root flow with an origin: the trace anchor of the origin (a span link to the old trace). */
  readonly linkedFrom: Flow | null;
  /**
   * The flow that decides this flow's trace: itself for a root flow or a flow linked to a
   * foreign trace (an incoming request, an OpenTelemetry span), else its parent's.
   */
  trace: Flow;
  /** Sampling decision, taken once per root flow and inherited. */
  sampled: boolean;
  /** Set on the root flow of an incoming HTTP request. */
  request: RequestInfo | null;
  /** Set by the tree printer once it printed this flow's first line. */
  shown: boolean;
  /** Free slot for exporters: the trace link (FlowLink) of a trace-deciding flow. */
  ext: unknown;

  constructor(id: number, parent: Flow | null, from: Frame | null, sampled: boolean) {
    this.id = id;
    this.parentId = parent === null ? 0 : parent.id;
    this.fromFlowId = from === null ? 0 : from.flow.id;
    this.fromSpanId = from === null ? 0 : from.id;
    this.fromName = from === null ? "" : from.name;
    this.linkedFrom = parent === null && from !== null ? from.flow.trace : null;
    this.trace = parent === null ? this : parent.trace;
    this.sampled = sampled;
    this.request = null;
    this.shown = false;
    this.ext = undefined;
  }

  /** The root flow of this flow's trace (see `trace`). */
  get root(): Flow {
    return this.trace;
  }
}

/** The token returned when tracing is off or a call is not traced at all. Frozen; never current. */
export const NOOP_FLOW: Flow = Object.freeze(new Flow(0, null, null, false)) as Flow;
export const NOOP_FRAME: Frame = Object.freeze(new Frame(0, "", "", 0, NOOP_FLOW, 0, null)) as Frame;
