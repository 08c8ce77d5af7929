import type { Frame } from "./frame.js";

/**
 * Where finished and started calls go: the tree printer, in-memory recorders, exporters.
 * Every sink call is guarded by the engine; a sink that throws is reported once and kept.
 * Sinks must not call traced code (they run inside the tracer).
 */
export interface Sink {
  /** Whether this sink needs start/end timestamps (two clock reads per call). */
  readonly needsClock?: boolean;
  /** Called when a visible call starts (synchronously, in call order). */
  onEnter?(frame: Frame): void;
  /** Called when a visible call ends. */
  onExit?(frame: Frame): void;
  /** Writes out what is buffered. */
  flush?(): void | Promise<void>;
  /** Flushes and releases resources; called once. */
  shutdown?(): void | Promise<void>;
}
