import { performance } from "node:perf_hooks";
import * as F from "./frame.js";
import { Frame, NOOP_FRAME } from "./frame.js";
import * as D from "./deferred.js";
import * as A from "./als-store.js";
import * as Fl from "./flows.js";
import { internalError, reportOnce } from "./diag.js";
import { S, type EngineState } from "./state.js";
import type { Sink } from "./sink.js";

/*
 * The hot path. A synchronous call chain keeps its current frame in S.current: `enter` saves
 * the frame it found and makes a new one current, `exit` restores it. AsyncLocalStorage is
 * touched only when a call enters from untraced context (a new flow entry: timer, event,
 * microtask, top level) and when such a call suspends or resumes; everything else costs a
 * few field writes plus the clock reads the sinks ask for. (perf_hooks' performance, not the
 * global getter: ~20 ns cheaper per read on Node 20.) The cold paths live next door: flows.ts
 * (new flows, forks, hand-off of pending callees), als-store.ts (a flow entry's ALS store) and
 * deferred.ts (what a stack overflow interrupted).
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

// The same for what the hot functions use from the modules of their cold paths: a call through
// an imported binding is a few bytecodes longer than a call of a local, and those bytes count
// against TurboFan's inlining budget for the instrumented function (enter and exit inlined into
// it or not: the largest swing in instructions per call, callgrind with --trace-turbo-inlining).
const deferred = D.deferred;
const notifying = D.notifying;
const defer = D.defer;
const drainDeferred = D.drainDeferred;
const repairStack = D.repairStack;
const recoverExit = D.recoverExit;
const claimStore = A.claimStore;
const releaseStore = A.releaseStore;
const fork = Fl.fork;
const forgetKid = Fl.forgetKid;
const handOff = Fl.handOff;
const newRootFlow = Fl.newRootFlow;

/** A call starts. Returns the token `exit`/`suspend`/`resume` take. Never throws. */
export function enter(name: string, file: string, line: number): Frame {
  const s = S;
  if (!s.active) return NOOP_FRAME;
  const caller = s.current;
  try {
    return enterActive(s, name, file, line);
  } catch (error) {
    // The call goes untraced (nothing was reported for it yet): its caller stays current. A
    // stack overflow is expected here at the bottom of a deep recursion, and not reported.
    s.current = caller;
    if (!(error instanceof RangeError)) internalError("enter", error);
    return NOOP_FRAME;
  }
}

function enterActive(s: EngineState, name: string, file: string, line: number): Frame {
  const caller = s.current;
  let frame: Frame;
  if (caller !== null) {
    const flow = caller.kids !== null ? fork(s, caller) : caller.flow;
    frame = new Frame(++s.nextSpanId, name, file, line, flow, caller.depth + 1, caller);
  } else {
    frame = enterFromUntraced(s, name, file, line);
  }
  frame.saved = caller;
  s.current = frame;
  if (!frame.flow.sampled || (s.hide !== null && s.hide(name, frame.depth))) {
    frame.flags |= HIDDEN;
    return frame;
  }
  if (s.clock) frame.start = performance.now();
  const sinks = s.enterSinks;
  if (sinks.length !== 0) notifyEnter(sinks, frame);
  return frame;
}

/** No traced caller on the stack: find the flow through AsyncLocalStorage, and own the store. */
function enterFromUntraced(s: EngineState, name: string, file: string, line: number): Frame {
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
    if (s.current !== frame) repairStack(s, frame, finish);
    if ((flags & STORE_SET) !== 0) releaseStore(s, frame);
    // The caller becomes current only once the call is finished: if finishing overflows the
    // stack, the frame stays on the current chain and the next exit of a caller closes it.
    finish(s, frame);
    if (s.current === frame) s.current = frame.saved;
    frame.saved = null;
  } catch (error) {
    if (error instanceof RangeError) recoverExit(frame);
    else internalError("exit", error);
  }
}

/** Closes the record and hands it to the sinks; the caller frame is already restored. */
export function finish(s: EngineState, frame: Frame): void {
  const flags = frame.flags;
  // From here on, an overflow part way still gets this frame's exit delivered (recoverExit).
  notifying[0] = frame.id;
  notifying[1] = 0;
  frame.flags = (flags | CLOSED) & ~SUSPENDED;
  if ((flags & ASYNC) !== 0 && frame.parent !== null) forgetKid(frame.parent, frame);
  if (frame.kids !== null) handOff(s, frame);
  if ((flags & HIDDEN) === 0) {
    if (s.clock) frame.end = performance.now();
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
      }
    }
    if (s.current === frame) s.current = frame.saved;
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
    if (s.current !== frame) {
      frame.saved = s.current;
      s.current = frame;
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
  if (deferred.length !== 0 && !drainDeferred(finish)) return defer(sinks, 0, frame, true);
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
  if (deferred.length !== 0 && !drainDeferred(finish)) return defer(sinks, 0, frame, false);
  for (let i = 0; i < sinks.length; i++) {
    notifying[1] = i;
    try {
      sinks[i].onExit!(frame);
    } catch (error) {
      if (error instanceof RangeError) return defer(sinks, i, frame, false);
      sinkFailed(i, "onExit", error);
    }
  }
}

function sinkFailed(index: number, method: string, error: unknown): void {
  reportOnce(`sink:${index}:${method}`, `a sink failed in ${method} (reported once; tracing continues)`, error);
}
