import { ASYNC, CLOSED, FAILED, STORE_SET, type Frame } from "./frame.js";
import { reportOnce } from "./diag.js";
import { releaseStore } from "./als-store.js";
import { S, type EngineState } from "./state.js";
import type { Sink } from "./sink.js";

/*
 * What a stack overflow interrupted. Notifications that hit one (a RangeError inside a sink, at
 * the bottom of a deep recursion) and exits that could not even run wait here, and are delivered,
 * in order, by the next notification that has room; the current chain is repaired when a call
 * ends while calls it made are still current. Cold path: the engine only checks `deferred.length`.
 */

/** How the engine finishes a frame (passed in: the engine imports this module, not the reverse). */
export type Finish = (s: EngineState, frame: Frame) => void;

interface Deferred {
  /** null: the frame's exit itself overflowed before it finished: finish it now. */
  sink: Sink | null;
  frame: Frame;
  enter: boolean;
}

export const deferred: Deferred[] = [];
const MAX_DEFERRED = 100_000;
/**
 * [0]: the id of the frame whose exit is being delivered, [1]: from which exit sink on (see
 * recoverExit). An id in a typed array, not a Frame: storing a young Frame into a module
 * variable (an old object) takes V8's write-barrier slow path on every call (measured with
 * callgrind: 63 instructions per traced call). Span ids start at 1; 0 is "none".
 */
export const notifying = new Float64Array(2);
let draining = false;

/** The error recorded on a call whose exit was lost. */
const LOST_EXIT = new RangeError("the call ended without its exit (stack overflow)");

/** Keeps the notifications of `sinks` from index `from` on for later. */
export function defer(sinks: Sink[], from: number, frame: Frame, enter: boolean): void {
  for (let i = from; i < sinks.length && deferred.length < MAX_DEFERRED; i++) deferred.push({ sink: sinks[i], frame, enter });
}

/**
 * `exit` hit a stack overflow part way (the stack was nearly full when the call's `finally`
 * ran): the frame is finished, or its notification completed, later, by the next notification
 * that has room, so no `<-` line is lost.
 */
export function recoverExit(frame: Frame): void {
  if ((frame.flags & CLOSED) === 0) {
    // Still on the current chain: a caller's exit will close it, in order (repairStack).
    for (let f = S.current; f !== null; f = f.saved) if (f === frame) return;
    deferred.push({ sink: null, frame, enter: false });
  } else if (notifying[0] === frame.id) {
    notifying[0] = 0;
    defer(S.exitSinks, notifying[1], frame, false);
  }
}

/**
 * A call ended while calls it made are still current. Either their exits were lost (a stack
 * overflow: the `finally` of the deepest calls could not even call `exit`), and they are closed
 * now, innermost first, marked failed, so the tree stays nested; or a manual trace() was used
 * across an await and a suspended callee is current (reported once).
 */
export function repairStack(s: EngineState, frame: Frame, finish: Finish): void {
  let found = false;
  for (let f = s.current; f !== null; f = f.saved) {
    if (f === frame) {
      found = true;
      break;
    }
  }
  if (!found) return;
  // Plain loops and pushes only (the stack may be nearly full): the lost calls are finished,
  // innermost first, by the next notification (drainDeferred), before this call's own exit.
  let manual = false;
  for (let f = s.current; f !== null && f !== frame; f = f.saved) {
    const flags = f.flags;
    if ((flags & (ASYNC | CLOSED)) === 0) deferred.push({ sink: null, frame: f, enter: false });
    else if ((flags & CLOSED) === 0) manual = true;
    else if (f.id === notifying[0]) {
      // Its exit overflowed while it was being finished: deliver what the sinks did not get.
      notifying[0] = 0;
      for (let i = notifying[1]; i < s.exitSinks.length; i++) deferred.push({ sink: s.exitSinks[i], frame: f, enter: false });
    }
  }
  s.current = frame;
  if (manual) {
    reportOnce(
      "out-of-order",
      `span ${frame.name} ended while a callee was still current: was trace() used across an await? ` +
        "Use traced() or the codemod for async functions",
      undefined,
      "warn",
    );
  }
  if (deferred.length !== 0) {
    reportOnce("lost-exit", "calls ended without their exit (a stack overflow?); they were closed as failed", undefined, "warn");
    drainDeferred(finish);
  }
}

/** Delivers what waits; false when the stack is still too deep (the rest keeps waiting). */
export function drainDeferred(finish: Finish): boolean {
  if (draining) return true;
  draining = true;
  try {
    while (deferred.length !== 0) {
      const next = deferred[0];
      try {
        if (next.sink === null) {
          if ((next.frame.flags & CLOSED) === 0) finishLate(next.frame, finish);
        } else if (next.enter) next.sink.onEnter?.(next.frame);
        else next.sink.onExit?.(next.frame);
      } catch (error) {
        if (error instanceof RangeError) {
          // Finished but not (fully) reported: what remains is its exit to the sinks not reached yet.
          if (next.sink === null && notifying[0] === next.frame.id) {
            notifying[0] = 0;
            const sinks = S.exitSinks;
            const rest = sinks.slice(notifying[1]).map((sink) => ({ sink, frame: next.frame, enter: false }));
            deferred.splice(0, 1, ...rest);
          }
          return false;
        }
        reportOnce("sink:deferred", "a sink failed on a deferred call (reported once; tracing continues)", error);
      }
      deferred.shift();
    }
    return true;
  } finally {
    draining = false;
  }
}

/** Finishes a frame whose exit overflowed before it could (sinks are called directly: draining). */
function finishLate(frame: Frame, finish: Finish): void {
  const s = S;
  if ((frame.flags & FAILED) === 0) {
    frame.flags |= FAILED;
    frame.error = LOST_EXIT;
  }
  if ((frame.flags & STORE_SET) !== 0) releaseStore(s, frame);
  finish(s, frame);
  frame.saved = null;
  notifying[0] = 0;
}
