import { S } from "./state.js";
import type { Frame } from "./frame.js";
import { traceIdOf } from "./export/span-ids.js";
import { internalError } from "./diag.js";

/** Where the code calling this runs: its flow (g[NN]), depth and span ids. */
export interface FlowInfo {
  /** The flow id shown as g[NN]. */
  readonly flowId: number;
  /** The flow this one was forked from, if any. */
  readonly parentFlowId: number | undefined;
  /** The innermost traced call: its span id, name and depth. */
  readonly spanId: number;
  readonly name: string;
  readonly depth: number;
  /** Its parent span id, if any. */
  readonly parentSpanId: number | undefined;
  /** The trace (32 hex characters) this flow belongs to: an incoming request's, or the root flow's. */
  readonly traceId: string;
  /** For a flow of an incoming HTTP request: its method and path. */
  readonly request: { readonly method: string; readonly path: string } | undefined;
}

/**
 * The flow, depth and span of the innermost traced call around the caller, or undefined when
 * there is none (or tracing is off). In a callback that no traced call wraps yet, this is the
 * call that scheduled it. Never throws.
 */
export function currentFlow(): FlowInfo | undefined {
  try {
    const frame: Frame | undefined = S.cursor.cur ?? S.als.getStore();
    if (frame === undefined || frame === null || frame.id === 0) return undefined;
    const flow = frame.flow;
    const request = flow.trace.request;
    return {
      flowId: flow.id,
      parentFlowId: flow.parentId === 0 ? undefined : flow.parentId,
      spanId: frame.id,
      name: frame.name,
      depth: frame.depth,
      parentSpanId: frame.parent?.id,
      traceId: traceIdOf(flow),
      request: request === null ? undefined : { method: request.method, path: request.path },
    };
  } catch (error) {
    internalError("currentFlow", error);
    return undefined;
  }
}
