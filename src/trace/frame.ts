/**
 * The runtime's cheap per-call record. One object per traced call, created by `enter` and
 * finished by `exit`; sinks and exporters read these records (they become spans later, at
 * export time, never on the hot path). Fields are assigned in the constructor only, so every
 * Frame has the same hidden class.
 */
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
  /** The span this call is a child of (in the same flow, or the scheduler of a new flow). */
  parent: Frame | null;
  /** The frame to make current again when this call suspends or ends. */
  saved: Frame | null;
  /** performance.now() at enter and exit (milliseconds); 0 when the clock is off. */
  start: number;
  end: number;
  /** The thrown or rejected value, when `failed`. */
  error: unknown;
  failed: boolean;
  /** True once the call has ended. */
  closed: boolean;
  /** True while suspended at an await/yield. */
  suspended: boolean;
  /** True once the call has suspended at least once (an async call). */
  async: boolean;
  /** Children in the same flow that are suspended and not finished yet. */
  pending: number;
  /** False for calls hidden by filters or sampling: kept for bookkeeping, not reported. */
  visible: boolean;
  /** True for async calls traced by the manual API: their continuations find them through ALS. */
  alsScoped: boolean;
  /** True when the call entered from untraced context: it owns the ALS store while it runs. */
  owner: boolean;
  /** Whether this frame made itself the AsyncLocalStorage store, and what it replaced. */
  storeSet: boolean;
  storeBefore: Frame | undefined;
  /** Free slot for exporters (e.g. a prepared span context). */
  ext: unknown;

  constructor(id: number, name: string, file: string, line: number, flow: Flow, depth: number, parent: Frame | null) {
    this.id = id;
    this.name = name;
    this.file = file;
    this.line = line;
    this.flow = flow;
    this.depth = depth;
    this.parent = parent;
    this.saved = null;
    this.start = 0;
    this.end = 0;
    this.error = undefined;
    this.failed = false;
    this.closed = false;
    this.suspended = false;
    this.async = false;
    this.pending = 0;
    this.visible = true;
    this.alsScoped = false;
    this.owner = false;
    this.storeSet = false;
    this.storeBefore = undefined;
    this.ext = undefined;
  }
}

/** A logical thread of execution, shown as g[NN]. */
export class Flow {
  readonly id: number;
  /** The flow this one was forked from, and the call that forked it (null for a root flow). */
  readonly parent: Flow | null;
  readonly parentFrame: Frame | null;
  /** The root flow of this trace (itself for a root flow). */
  readonly root: Flow;
  /** Sampling decision, taken once per root flow and inherited. */
  sampled: boolean;
  /** Free slot for exporters (e.g. the OpenTelemetry parent context captured at flow start). */
  ext: unknown;

  constructor(id: number, parent: Flow | null, parentFrame: Frame | null, sampled: boolean) {
    this.id = id;
    this.parent = parent;
    this.parentFrame = parentFrame;
    this.root = parent === null ? this : parent.root;
    this.sampled = sampled;
    this.ext = undefined;
  }
}

/** The token returned when tracing is off or a call is not traced at all. Frozen; never current. */
export const NOOP_FLOW: Flow = Object.freeze(new Flow(0, null, null, false)) as Flow;
export const NOOP_FRAME: Frame = Object.freeze(new Frame(0, "", "", 0, NOOP_FLOW, 0, null)) as Frame;
