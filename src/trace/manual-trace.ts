import { enter, exit } from "./engine.js";
import { callerSite } from "./caller-site.js";
import { S } from "./state.js";
import { KEEP, NOOP_FRAME } from "./frame.js";

/** What `trace()` returns: call it to end the span, or let `using` dispose of it. */
export type SpanEnd = (() => void) & Disposable;

const NOOP_END: SpanEnd = Object.assign(() => {}, { [Symbol.dispose]: () => {} });

/**
 * Starts a span for the calling function and returns the function that ends it — the analogue
 * of Go's `defer functrace.Trace()()`. Without a name, the caller's name is found from the
 * stack: V8 has to capture one stack frame per call to identify the call site (a few µs), and
 * the name is derived once per site. Pass a name where that matters. For synchronous code; for async functions use `traced()` (or the
 * codemod), because only they can see the function give control back at an `await`.
 * Never throws.
 *
 * @example
 * function handle() { const end = trace(); try { work(); } finally { end(); } }
 * function handle2() { using _ = trace(); work(); }
 */
export function trace(name?: string): SpanEnd {
  if (!S.active) return NOOP_END;
  const site = name === undefined ? callerSite(trace) : undefined;
  const frame = site === undefined ? enter(name as string, "", 0) : enter(site.name, site.file, site.line);
  if (frame !== NOOP_FRAME) frame.flags |= KEEP; // end() may run twice: its frame must not become another call's
  const end = (() => exit(frame)) as SpanEnd;
  end[Symbol.dispose] = end;
  return end;
}
