import * as F from "./frame.js";
import { Flow, type Frame } from "./frame.js";
import { internalError, reportOnce } from "./diag.js";
import type { EngineState } from "./state.js";
import type { Sink } from "./sink.js";

/*
 * The engine's flow bookkeeping, off the per-call path: which frame owns the AsyncLocalStorage
 * store, new flows (a root, or a fork from a frame), and the hand-off of async callees still
 * pending when their caller ends. The engine calls these on a flow entry, a fork or a hand-off,
 * never on a plain synchronous enter/exit.
 */

// Module-local constants, as in engine.ts (an imported binding is a load per use in CommonJS).
const STORE_SET = F.STORE_SET;
const HIDDEN = F.HIDDEN;

/** A flow entry owns the store while it runs, so callbacks it schedules find it. */
export function claimStore(s: EngineState, frame: Frame, before: Frame | undefined): void {
  if (before === frame) return;
  frame.storeBefore = before;
  frame.flags |= STORE_SET;
  s.als.enterWith(frame);
}

export function releaseStore(s: EngineState, frame: Frame): void {
  if ((frame.flags & STORE_SET) === 0) return;
  frame.flags &= ~STORE_SET;
  s.als.enterWith(frame.storeBefore as Frame);
  frame.storeBefore = undefined;
}

export function newRootFlow(s: EngineState): Flow {
  const sampled = s.sampleRoot === null || s.sampleRoot();
  return startFlow(s, new Flow(++s.nextFlowId, null, null, sampled));
}

export function fork(s: EngineState, parent: Frame): Flow {
  return startFlow(s, new Flow(++s.nextFlowId, parent.flow, parent, parent.flow.sampled));
}

/** Runs the flow-start hook (exporters link the flow to a foreign trace there). */
export function startFlow(s: EngineState, flow: Flow): Flow {
  if (s.onFlowStart !== null) {
    try {
      s.onFlowStart(flow);
    } catch (error) {
      internalError("flow start hook", error);
    }
  }
  return flow;
}

export function forgetKid(parent: Frame, kid: Frame): void {
  const kids = parent.kids;
  if (kids === null) return;
  const at = kids.indexOf(kid);
  if (at < 0) return;
  if (kids.length === 1) parent.kids = null;
  else kids.splice(at, 1);
}

/**
 * A call ends while async callees it started in its flow are still pending (a promise returned
 * or dropped without being awaited): each of them, with its own pending callees, continues in
 * a new flow forked from this call, so every flow stays one correctly nested chain.
 */
export function handOff(s: EngineState, frame: Frame): void {
  const kids = frame.kids as Frame[];
  frame.kids = null;
  for (const kid of kids) {
    const from = kid.flow;
    const moved: Frame[] = [];
    collectInFlow(kid, from, moved);
    const flow = fork(s, frame);
    // The moved calls outlived their caller: in their new flow they start at depth 1.
    const shift = kid.depth - 1;
    for (const f of moved) {
      f.flow = flow;
      f.depth -= shift;
    }
    const visible = moved.filter((f) => (f.flags & HIDDEN) === 0);
    if (visible.length !== 0) notifyHandoff(s.handoffSinks, visible, from, shift);
  }
}

function collectInFlow(frame: Frame, flow: Flow, out: Frame[]): void {
  out.push(frame);
  if (frame.kids !== null) for (const kid of frame.kids) if (kid.flow === flow) collectInFlow(kid, flow, out);
}

/** A visible call suspends for the first time (engine.ts suspend). */
export function notifySuspend(sinks: Sink[], frame: Frame): void {
  for (let i = 0; i < sinks.length; i++) {
    try {
      sinks[i].onSuspend!(frame);
    } catch (error) {
      reportOnce(`sink:${i}:suspend`, "a sink failed in onSuspend (reported once; tracing continues)", error);
    }
  }
}

function notifyHandoff(sinks: Sink[], frames: Frame[], from: Flow, depthShift: number): void {
  for (let i = 0; i < sinks.length; i++) {
    try {
      sinks[i].onHandoff!(frames, from, depthShift);
    } catch (error) {
      reportOnce(`sink:${i}:handoff`, "a sink failed in onHandoff (reported once; tracing continues)", error);
    }
  }
}
