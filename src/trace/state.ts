import { AsyncLocalStorage } from "node:async_hooks";
import type { Flow, Frame } from "./frame.js";
import type { Sink } from "./sink.js";

/**
 * Holds the frame of the innermost traced call running now (null: none). A synchronous chain
 * that starts from untraced context gets a fresh cursor (engine.ts: enterFromUntraced), so the
 * per-call writes of `cur` go into an object as young as the chain's frames: V8 then skips the
 * write barrier's slow path, which a young frame stored into an old object takes at every call.
 */
export interface Cursor {
  cur: Frame | null;
}

/** A cursor for a new chain (an object literal: one hidden class for every loaded build). */
export function newCursor(): Cursor {
  return { cur: null };
}

/**
 * The engine's mutable state: one object per process, kept on a global symbol so that the
 * CommonJS and ESM builds of functrace, if both get loaded, share one call tree.
 */
export interface EngineState {
  /** Where the innermost traced call running now is kept (cursor.cur; replaced only while null). */
  cursor: Cursor;
  /** False: `enter` returns the no-op token at once (nothing configured, or disabled). */
  active: boolean;
  /** The run-time master switch (`setEnabled`); `active` is it and "some sink registered". */
  enabled: boolean;
  /** True when some sink needs timestamps. */
  clock: boolean;
  /** True when every sink declares `releasesFrames`: the engine may reuse finished frames. */
  reuseFrames: boolean;
  sinks: Sink[];
  enterSinks: Sink[];
  exitSinks: Sink[];
  handoffSinks: Sink[];
  /** Sinks told of a call's first suspension. */
  suspendSinks: Sink[];
  nextSpanId: number;
  nextFlowId: number;
  /** Carries the frame that scheduled async work to callbacks (set once per flow entry). */
  als: AsyncLocalStorage<Frame>;
  /** Filter: returns true when a call must be hidden (kept for bookkeeping, not reported). */
  hide: ((name: string, depth: number) => boolean) | null;
  /** Sampling decision for a new root flow. */
  sampleRoot: (() => boolean) | null;
  /** Hook for exporters: a flow started (e.g. capture the OpenTelemetry parent context). */
  onFlowStart: ((flow: Flow) => void) | null;
  /**
   * Called with S.active whenever it may have changed: each loaded build's `__ft` swaps its
   * methods between the no-op twin's and the live ones (generated-api.ts).
   */
  apiSwitches: ((active: boolean) => void)[];
}

// v2: the current frame moved from `current` to `cursor.cur`; a copy of an older version keeps a
// state (and a call tree) of its own.
const KEY = Symbol.for("functrace.engine.v2");

function createState(): EngineState {
  return {
    cursor: newCursor(),
    active: false,
    enabled: true,
    clock: false,
    reuseFrames: false,
    sinks: [],
    enterSinks: [],
    exitSinks: [],
    handoffSinks: [],
    suspendSinks: [],
    nextSpanId: 0,
    nextFlowId: 0,
    als: new AsyncLocalStorage<Frame>(),
    hide: null,
    sampleRoot: null,
    onFlowStart: null,
    apiSwitches: [],
  };
}

const holder = globalThis as unknown as Record<symbol, EngineState | undefined>;
/** The process-wide engine state. */
export const S: EngineState = holder[KEY] ?? (holder[KEY] = createState());
// A state created by an older copy of this version's code (same key) may lack the newer fields.
S.apiSwitches ??= [];
S.reuseFrames ??= false;
S.suspendSinks ??= [];
