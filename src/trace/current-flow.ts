import { S } from "./state.js";
import type { Frame } from "./frame.js";

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
}

/**
 * The flow, depth and span of the innermost traced call around the caller, or undefined when
 * there is none (or tracing is off). In a callback that no traced call wraps yet, this is the
 * call that scheduled it. Never throws.
 */
export function currentFlow(): FlowInfo | undefined {
  const frame: Frame | undefined = S.current ?? S.als.getStore();
  if (frame === undefined || frame === null) return undefined;
  return {
    flowId: frame.flow.id,
    parentFlowId: frame.flow.parent?.id,
    spanId: frame.id,
    name: frame.name,
    depth: frame.depth,
    parentSpanId: frame.parent?.id,
  };
}
