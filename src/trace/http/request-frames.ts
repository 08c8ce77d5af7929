import { performance } from "node:perf_hooks";
import { ALS_SCOPED, CLOSED, FAILED, Flow, Frame, HIDDEN, REQUEST, type RequestInfo } from "../frame.js";
import { finish } from "../engine.js";
import { startFlow } from "../flows.js";
import { internalError } from "../diag.js";
import { S } from "../state.js";

/**
 * An incoming request begins (the HTTP server's diagnostics channel, before the request event):
 * a frame of its own, the server span, at depth 0 in a new root flow, made the AsyncLocalStorage
 * store so that the handler's first traced call continues its flow at depth 1 and everything the
 * request schedules stays in its trace. `from` is the frame in whose context the server runs (the
 * call that created it), kept as the flow's origin. Returns null when tracing is off.
 */
export function beginRequest(name: string, request: RequestInfo, sampled: boolean | undefined, link: (flow: Flow) => void): Frame | null {
  const s = S;
  if (!s.active) return null;
  const from = s.als.getStore() ?? null;
  const flow = new Flow(++s.nextFlowId, null, from, sampled ?? (s.sampleRoot === null || s.sampleRoot()));
  flow.request = request;
  link(flow);
  startFlow(s, flow);
  const frame = new Frame(++s.nextSpanId, name, "", 0, flow, 0, null);
  frame.flags = REQUEST | ALS_SCOPED;
  if (!flow.sampled) frame.flags |= HIDDEN;
  if (s.clock) frame.start = performance.now();
  s.als.enterWith(frame);
  return frame;
}

/** The request's response finished: its span ends (an error for a 5xx status). Never throws. */
export function endRequest(frame: Frame, status: number): void {
  try {
    if ((frame.flags & CLOSED) !== 0) return;
    const request = frame.flow.request;
    if (request !== null) request.status = status;
    if (status >= 500) {
      frame.flags |= FAILED;
      frame.error = `HTTP ${status}`;
    }
    finish(S, frame);
  } catch (error) {
    internalError("request end", error);
  }
}
