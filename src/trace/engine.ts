import { performance } from "node:perf_hooks";
import * as F from "./frame.js";
import { clockOutOfLine, readClockOutOfLine } from "./clock.js";
import { Frame, NOOP_FRAME, reuseFrame } from "./frame.js";
import { internalError, reportOnce } from "./diag.js";
import { S, newCursor, type EngineState } from "./state.js";
import { claimStore, fork, forgetKid, handOff, newRootFlow, notifySuspend, releaseStore } from "./flows.js";
import type { Sink } from "./sink.js";

/*
 * The hot path. A synchronous call chain keeps its current frame in S.cursor.cur: `enter` saves
 * the frame it found and makes a new one current, `exit` restores it. AsyncLocalStorage is
 * touched only when a call enters from untraced context (a new flow entry: timer, event,
 * microtask, top level) and when such a call suspends or resumes; everything else costs a
 * few field writes plus the clock reads the sinks ask for (clock.ts).
 */

// The flag bits as module-local constants: an imported binding compiles (CommonJS) to a load
// from frame.js's exports object at every use, a local const folds into the code (measured with
// callgrind: 30 fewer instructions per traced call).
const CLOSED = F.CLOSED;
const SUSPENDED = F.SUSPENDED;
const ASYNC = F.ASYNC;
const FAILED = F.FAILED;
const HIDDEN = F.HIDDEN;
const ALS_SCOPED = F.ALS_SCOPED;
const OWNER = F.OWNER;
const STORE_SET = F.STORE_SET;
const KEEP = F.KEEP;
/** Module-local for the same reason: where this V8 reads the clock fastest (clock.ts). */
const OUT_OF_LINE_CLOCK = clockOutOfLine;
const readOutOfLine = readClockOutOfLine;
/** A frame with any of these is held past its exit, or is a flow's entry: never reused. */
const HELD = F.ASYNC | F.ALS_SCOPED | F.OWNER | F.REQUEST | F.KEEP;
/** Deeper callees are not parked: a deep recursion must not stay allocated as a chain of spares. */
const MAX_PARKED_DEPTH = 128;

/** A call starts. Returns the token `exit`/`suspend`/`resume` take. Never throws. */
export function enter(name: string, file: string, line: number): Frame {
  const s = S;
  if (!s.active) return NOOP_FRAME;
  const caller = s.cursor.cur;
  try {
    return enterActive(s, name, file, line);
  } catch (error) {
    // The call goes untraced (nothing was reported for it yet): its caller stays current. A
    // stack overflow is expected here at the bottom of a deep recursion, and not reported.
    s.cursor.cur = caller;
    if (!(error instanceof RangeError)) internalError("enter", error);
    return NOOP_FRAME;
  }
}

function enterActive(s: EngineState, name: string, file: string, line: number): Frame {
  const caller = s.cursor.cur;
  let frame: Frame;
  if (caller !== null) {
    const flow = caller.kids !== null ? fork(s, caller) : caller.flow;
    const spare = caller.spare;
    if (spare === null) frame = new Frame(++s.nextSpanId, name, file, line, flow, caller.depth + 1, caller);
    else {
      caller.spare = null;
      frame = reuseFrame(spare, ++s.nextSpanId, name, file, line, flow, caller.depth + 1, caller);
    }
  } else {
    frame = enterFromUntraced(s, name, file, line);
  }
  frame.saved = caller;
  s.cursor.cur = frame;
  if (!frame.flow.sampled || (s.hide !== null && s.hide(name, frame.depth))) {
    frame.flags |= HIDDEN;
    return frame;
  }
  if (s.clock) frame.start = OUT_OF_LINE_CLOCK ? readOutOfLine() : performance.now();
  const sinks = s.enterSinks;
  if (sinks.length !== 0) notifyEnter(sinks, frame);
  return frame;
}

/** No traced caller on the stack: find the flow through AsyncLocalStorage, and own the store. */
function enterFromUntraced(s: EngineState, name: string, file: string, line: number): Frame {
  // A new chain: a fresh cursor, as young as the frames it will hold (state.ts).
  s.cursor = newCursor();
  const stored = s.als.getStore();
  let frame: Frame;
  if (stored === undefined) {
    frame = new Frame(++s.nextSpanId, name, file, line, newRootFlow(s), 1, null);
  } else {
    // A continuation of a manually traced async call (or the first call of a request) stays in
    // its flow; anything else that runs later (timer, event, callback) is a concurrent branch:
    // a new flow. One whose scheduler has returned starts at depth 1 (a goroutine's depth in
    // Go), so a chain of callback hops never indents deeper than its real nesting.
    const flags = stored.flags;
    const continues = (flags & (ALS_SCOPED | CLOSED)) === ALS_SCOPED && stored.kids === null;
    const flow = continues ? stored.flow : fork(s, stored);
    const depth = (flags & CLOSED) !== 0 ? 1 : stored.depth + 1;
    frame = new Frame(++s.nextSpanId, name, file, line, flow, depth, stored);
  }
  frame.flags |= OWNER;
  claimStore(s, frame, stored);
  return frame;
}

/** The call ends (normal return, throw, or generator return()). Never throws. */
export function exit(frame: Frame): void {
  if (frame === NOOP_FRAME) return;
  try {
    const flags = frame.flags;
    if ((flags & CLOSED) !== 0) {
      reportOnce(
        "exit-twice",
        `span ${frame.name} ended twice; the second end is ignored`,
        undefined,
        "warn",
      );
      return;
    }
    const s = S;
    if ((flags & SUSPENDED) !== 0) {
      frame.saved = null;
      return finish(s, frame);
    }
    if (s.cursor.cur !== frame) repairStack(s, frame);
    if ((flags & STORE_SET) !== 0) releaseStore(s, frame);
    // The caller becomes current only once the call is finished: if finishing overflows the
    // stack, the frame stays on the current chain and the next exit of a caller closes it.
    finish(s, frame);
    const caller = frame.saved;
    const cursor = s.cursor;
    if (cursor.cur === frame) cursor.cur = caller;
    frame.saved = null;
    if (caller !== null && s.reuseFrames && caller.spare === null) park(caller, frame);
  } catch (error) {
    if (error instanceof RangeError) recoverExit(frame);
    else internalError("exit", error);
  }
}

/*
 * Frame reuse. When no sink keeps frames (every sink declares `releasesFrames`), a finished
 * synchronous call's frame is parked on its caller and becomes the caller's next callee's
 * frame: a loop of calls allocates nothing, so the young generation stays as small as the
 * program's own (an allocation per call grew it to its 16 MB maximum under export). Frames that
 * anything may still hold (async calls, flow entries, requests, KEEP) are never parked.
 */
function park(caller: Frame, frame: Frame): void {
  if ((frame.flags & HELD) !== 0 || frame.depth > MAX_PARKED_DEPTH || deferred.length !== 0) return;
  frame.error = undefined; // a parked frame must not keep the program's error alive
  caller.spare = frame;
}

/**
 * `exit` hit a stack overflow part way (the stack was nearly full when the call's `finally`
 * ran): the frame is finished, or its notification completed, later, by the next notification
 * that has room, so no `<-` line is lost.
 */
function recoverExit(frame: Frame): void {
  if ((frame.flags & CLOSED) === 0) {
    // Still on the current chain: a caller's exit will close it, in order (repairStack).
    for (let f = S.cursor.cur; f !== null; f = f.saved) if (f === frame) return;
    deferred.push({ sink: null, frame, enter: false });
  } else if (notifying[0] === frame.id) {
    notifying[0] = 0;
    defer(S.exitSinks, notifyingFrom, frame, false);
  }
}

/**
 * A call ended while calls it made are still current. Either their exits were lost (a stack
 * overflow: the `finally` of the deepest calls could not even call `exit`), and they are closed
 * now, innermost first, marked failed, so the tree stays nested; or a manual trace() was used
 * across an await and a suspended callee is current (reported once).
 */
function repairStack(s: EngineState, frame: Frame): void {
  let found = false;
  for (let f = s.cursor.cur; f !== null; f = f.saved) {
    if (f === frame) {
      found = true;
      break;
    }
  }
  if (!found) return;
  // Plain loops and pushes only (the stack may be nearly full): the lost calls are finished,
  // innermost first, by the next notification (drainDeferred), before this call's own exit.
  let manual = false;
  for (let f = s.cursor.cur; f !== null && f !== frame; f = f.saved) {
    const flags = f.flags;
    if ((flags & (ASYNC | CLOSED)) === 0) deferred.push({ sink: null, frame: f, enter: false });
    else if ((flags & CLOSED) === 0) manual = true;
    else if (f.id === notifying[0]) {
      // Its exit overflowed while it was being finished: deliver what the sinks did not get.
      notifying[0] = 0;
      for (let i = notifyingFrom; i < s.exitSinks.length; i++) deferred.push({ sink: s.exitSinks[i], frame: f, enter: false });
    }
  }
  s.cursor.cur = frame;
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
    drainDeferred();
  }
}

/** The error recorded on a call whose exit was lost. */
const LOST_EXIT = new RangeError("the call ended without its exit (stack overflow)");

/** Closes the record and hands it to the sinks; the caller frame is already restored. */
export function finish(s: EngineState, frame: Frame): void {
  const flags = frame.flags;
  // From here on, an overflow part way still gets this frame's exit delivered (recoverExit).
  notifying[0] = frame.id;
  notifyingFrom = 0;
  frame.flags = (flags | CLOSED) & ~SUSPENDED;
  if ((flags & ASYNC) !== 0 && frame.parent !== null) forgetKid(frame.parent, frame);
  if (frame.kids !== null) handOff(s, frame);
  if ((flags & HIDDEN) === 0) {
    if (s.clock) frame.end = OUT_OF_LINE_CLOCK ? readOutOfLine() : performance.now();
    const sinks = s.exitSinks;
    if (sinks.length !== 0) notifyExit(sinks, frame);
  }
  // Let go of a finished flow's scheduler: chains of callback hops must not keep each other alive.
  const parent = frame.parent;
  if (parent !== null && parent.flow !== frame.flow && (parent.flags & CLOSED) !== 0) frame.parent = null;
  notifying[0] = 0;
}

/** Records the value a call threw (the generated code rethrows it unchanged). Never throws. */
export function fail(frame: Frame, error: unknown): void {
  if (frame === NOOP_FRAME) return;
  try {
    if ((frame.flags & CLOSED) !== 0) return;
    frame.flags |= FAILED;
    frame.error = error;
  } catch (failure) {
    internalError("fail", failure);
  }
}

/** The call gives control back at an await or yield: its caller's frame becomes current. */
export function suspend<T>(frame: Frame, value: T): T {
  if (frame === NOOP_FRAME) return value;
  try {
    const flags = frame.flags;
    if ((flags & (CLOSED | SUSPENDED)) !== 0) return value;
    const s = S;
    frame.flags = flags | SUSPENDED | ASYNC;
    if ((flags & ASYNC) === 0) {
      const parent = frame.parent;
      if (parent !== null && parent.flow === frame.flow && (parent.flags & CLOSED) === 0) {
        if (parent.kids === null) parent.kids = [frame];
        else parent.kids.push(frame);
        parent.flags |= KEEP; // the pending callee points at it (its parent span) after it ends
      }
      const sinks = s.suspendSinks;
      if (sinks.length !== 0 && (flags & HIDDEN) === 0) notifySuspend(sinks, frame);
    }
    const cursor = s.cursor;
    if (cursor.cur === frame) cursor.cur = frame.saved;
    if ((flags & STORE_SET) !== 0) releaseStore(s, frame);
  } catch (error) {
    internalError("suspend", error);
  }
  return value;
}

/** Control came back after an await or yield (or into a catch/finally): the frame is current again. */
export function resume<T>(frame: Frame, value?: T): T {
  if (frame === NOOP_FRAME) return value as T;
  try {
    const flags = frame.flags;
    if ((flags & CLOSED) !== 0) return value as T;
    const s = S;
    const current = s.cursor.cur;
    if (current !== frame) {
      // Back from untraced context (a microtask, a timer): a new chain, a fresh cursor.
      if (current === null) s.cursor = newCursor();
      frame.saved = current;
      s.cursor.cur = frame;
    }
    frame.flags = flags & ~SUSPENDED;
    // A flow entry owns the store on every run of its body, so callbacks it schedules find it.
    if ((flags & OWNER) !== 0) claimStore(s, frame, s.als.getStore());
  } catch (error) {
    internalError("resume", error);
  }
  return value as T;
}

// Two loops rather than one with an enter/exit flag: this runs on every call, and the branch
// and the extra argument measurably cost there.
function notifyEnter(sinks: Sink[], frame: Frame): void {
  if (deferred.length !== 0 && !drainDeferred()) return defer(sinks, 0, frame, true);
  for (let i = 0; i < sinks.length; i++) {
    try {
      sinks[i].onEnter!(frame);
    } catch (error) {
      if (error instanceof RangeError) return defer(sinks, i, frame, true);
      sinkFailed(i, "onEnter", error);
    }
  }
}

function notifyExit(sinks: Sink[], frame: Frame): void {
  if (deferred.length !== 0 && !drainDeferred()) return defer(sinks, 0, frame, false);
  for (let i = 0; i < sinks.length; i++) {
    notifyingFrom = i;
    try {
      sinks[i].onExit!(frame);
    } catch (error) {
      if (error instanceof RangeError) return defer(sinks, i, frame, false);
      sinkFailed(i, "onExit", error);
    }
  }
}

/*
 * Notifications that hit a stack overflow (a RangeError inside a sink, at the bottom of a deep
 * recursion) wait here and are delivered, in order, by the next notification that has room.
 */
interface Deferred {
  /** null: the frame's exit itself overflowed before it finished: finish it now. */
  sink: Sink | null;
  frame: Frame;
  enter: boolean;
}
const deferred: Deferred[] = [];
const MAX_DEFERRED = 100_000;
/**
 * The id of the frame whose exit is being delivered, and from which exit sink on (see
 * recoverExit). An id in a typed array, not a Frame: storing a young Frame into a module
 * variable (an old object) takes V8's write-barrier slow path on every call (measured with
 * callgrind: 63 instructions per traced call). Span ids start at 1; 0 is "none".
 */
const notifying = new Float64Array(1);
let notifyingFrom = 0;
let draining = false;

function defer(sinks: Sink[], from: number, frame: Frame, enter: boolean): void {
  for (let i = from; i < sinks.length && deferred.length < MAX_DEFERRED; i++) deferred.push({ sink: sinks[i], frame, enter });
}

/** Delivers what waits; false when the stack is still too deep (the rest keeps waiting). */
function drainDeferred(): boolean {
  if (draining) return true;
  draining = true;
  try {
    while (deferred.length !== 0) {
      const next = deferred[0];
      try {
        if (next.sink === null) {
          if ((next.frame.flags & CLOSED) === 0) finishLate(next.frame);
        } else if (next.enter) next.sink.onEnter?.(next.frame);
        else next.sink.onExit?.(next.frame);
      } catch (error) {
        if (error instanceof RangeError) {
          // Finished but not (fully) reported: what remains is its exit to the sinks not reached yet.
          if (next.sink === null && notifying[0] === next.frame.id) {
            notifying[0] = 0;
            const sinks = S.exitSinks;
            const rest = sinks.slice(notifyingFrom).map((sink) => ({ sink, frame: next.frame, enter: false }));
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
function finishLate(frame: Frame): void {
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

function sinkFailed(index: number, method: string, error: unknown): void {
  reportOnce(`sink:${index}:${method}`, `a sink failed in ${method} (reported once; tracing continues)`, error);
}
