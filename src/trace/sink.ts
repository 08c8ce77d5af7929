import type { Flow, Frame } from "./frame.js";

/**
 * Where finished and started calls go: the tree printer, in-memory recorders, exporters.
 * Every sink call is guarded by the engine; a sink that throws is reported once and kept.
 * Sinks must not call traced code (they run inside the tracer).
 */
export interface Sink {
  /** Whether this sink needs start/end timestamps (two clock reads per call). */
  readonly needsClock?: boolean;
  /**
   * True when the sink keeps no reference to a Frame once onEnter/onExit return (it copies
   * what it needs). When every sink says so, the engine reuses the Frame objects of finished
   * synchronous calls, and a loop of traced calls allocates nothing.
   */
  readonly releasesFrames?: boolean;
  /** Called when a visible call starts (synchronously, in call order). */
  onEnter?(frame: Frame): void;
  /** Called when a visible call ends. */
  onExit?(frame: Frame): void;
  /**
   * Called when a visible call suspends for the first time (its first `await` or `yield`): from
   * then on it is open while other code runs. `frame.saved` is the chain it suspends back to.
   */
  onSuspend?(frame: Frame): void;
  /**
   * Called when calls move to a new flow: an async call (and its own pending async callees)
   * outlived the traced call that started it, so it continues as a concurrent branch.
   * `frames` are in call order and already carry the new flow and their depth there (the first
   * starts at depth 1); `from` is the flow they left, where each was `depthShift` deeper.
   */
  onHandoff?(frames: readonly Frame[], from: Flow, depthShift: number): void;
  /** Writes out what is buffered (an asynchronous sink settles within `timeoutMs` when given). */
  flush?(timeoutMs?: number): void | Promise<void>;
  /** Flushes and releases resources; called once. */
  shutdown?(): void | Promise<void>;
}
