import { Flow, Frame } from "../frame.js";
import { S } from "../state.js";

/*
 * The tracer never traces its own export. Export work runs with no current frame and with an
 * AsyncLocalStorage store that belongs to an unsampled flow: any traced call made by an
 * exporter (now or in its callbacks) forks from that flow, inherits "not sampled", and is
 * never reported.
 */
const SUPPRESSED_FLOW = new Flow(0, null, null, false);
const SUPPRESSED_FRAME = new Frame(0, "functrace.export", "", 0, SUPPRESSED_FLOW, 0, null);

/** Runs `fn` with functrace tracing suppressed for it and everything it schedules. */
export function runSuppressed<T>(fn: () => T): T {
  const saved = S.current;
  S.current = null;
  try {
    return S.als.run(SUPPRESSED_FRAME, fn);
  } finally {
    S.current = saved;
  }
}

/** True inside `runSuppressed` (and its async continuations). */
export function isSuppressed(): boolean {
  return S.als.getStore() === SUPPRESSED_FRAME;
}
