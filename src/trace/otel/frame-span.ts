import { TraceFlags, type Context, type Span, type SpanContext } from "@opentelemetry/api";
import { KEEP, type Frame } from "../frame.js";
import { spanIdOf, traceIdOf } from "../export/span-ids.js";

/**
 * What @opentelemetry/api sees as the active span inside a traced function: a non-recording
 * span carrying the function's span context (the ids functrace exports it with). Spans started
 * through the API inside the function become its children. Setting attributes on it does
 * nothing (function spans are built from the runtime's records at export time).
 * Stored in Frame.ext once handed out, which also pins the frame: it is exported even when
 * shorter than minDurationMs, so those children never point at a missing parent.
 */
export class FrameSpan implements Span {
  /** The last context built for this frame, and the base context it was built on. */
  base: Context | undefined = undefined;
  context: Context | undefined = undefined;
  private readonly _spanContext: SpanContext;

  constructor(frame: Frame) {
    this._spanContext = { traceId: traceIdOf(frame.flow), spanId: spanIdOf(frame), traceFlags: TraceFlags.SAMPLED };
  }

  spanContext(): SpanContext {
    return this._spanContext;
  }
  setAttribute(): this {
    return this;
  }
  setAttributes(): this {
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(): this {
    return this;
  }
  updateName(): this {
    return this;
  }
  end(): void {}
  isRecording(): boolean {
    return false;
  }
  recordException(): void {}
}

/** The span a frame exposes: an SDK span (the slow tracer path) or its FrameSpan, created on demand. */
export function spanOfFrame(frame: Frame): Span {
  const ext = frame.ext as Span | undefined;
  if (ext !== undefined && typeof ext.spanContext === "function") return ext;
  const span = new FrameSpan(frame);
  frame.ext = span;
  frame.flags |= KEEP; // the program may hold the span, and through it the frame
  return span;
}
