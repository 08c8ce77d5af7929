import { Flow, Frame } from "../frame.js";
import { S } from "../state.js";

/*
 * The tracer never traces its own export. Export work runs with no current frame and with an
 * AsyncLocalStorage store that belongs to an unsampled flow: any traced call made by an
 * exporter (now or in its callbacks) forks from that flow, inherits "not sampled", and is
 * never reported. Once the OpenTelemetry bridge is loaded, export work also runs with
 * OpenTelemetry tracing suppressed (no client span for an export request).
 */
const SUPPRESSED_FLOW = new Flow(0, null, null, false);
const SUPPRESSED_FRAME = new Frame(0, "functrace.export", "", 0, SUPPRESSED_FLOW, 0, null);

type Runner = <T>(fn: () => T) => T;
let otelSuppressed: Runner | null = null;

/** Installs the OpenTelemetry side of suppression (called by the bridge when @opentelemetry/api is present). */
export function setOtelSuppressor(runner: Runner | null): void {
  otelSuppressed = runner;
}

/** Runs `fn` with functrace tracing suppressed for it and everything it schedules. */
export function runSuppressed<T>(fn: () => T): T {
  const saved = S.cursor.cur;
  S.cursor.cur = null;
  try {
    const inner = (): T => S.als.run(SUPPRESSED_FRAME, fn);
    return otelSuppressed === null ? inner() : otelSuppressed(inner);
  } finally {
    S.cursor.cur = saved;
  }
}

/** True inside `runSuppressed` (and its async continuations). */
export function isSuppressed(): boolean {
  return S.als.getStore() === SUPPRESSED_FRAME;
}
