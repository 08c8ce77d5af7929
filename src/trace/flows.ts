import { HIDDEN, Flow, type Frame } from "./frame.js";
import { internalError, reportOnce } from "./diag.js";
import type { EngineState } from "./state.js";
import type { Sink } from "./sink.js";

/*
 * Which flow (g[NN]) a call runs in, when it is not simply its caller's: a new root flow, a
 * fork for a concurrent branch, and the hand-off of async callees that outlived their caller to
 * a fork of their own. Cold path: once per flow.
 */

/** A flow with no origin (a call with no traced caller and nothing in AsyncLocalStorage). */
export function newRootFlow(s: EngineState): Flow {
  const sampled = s.sampleRoot === null || s.sampleRoot();
  return startFlow(s, new Flow(++s.nextFlowId, null, null, sampled));
}

/** A concurrent branch of `parent`'s flow, started by `parent`. */
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

/** An async call in its parent's flow finished: the parent no longer waits for it. */
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

function notifyHandoff(sinks: Sink[], frames: Frame[], from: Flow, depthShift: number): void {
  for (let i = 0; i < sinks.length; i++) {
    try {
      sinks[i].onHandoff!(frames, from, depthShift);
    } catch (error) {
      reportOnce(`sink:${i}:handoff`, "a sink failed in onHandoff (reported once; tracing continues)", error);
    }
  }
}

