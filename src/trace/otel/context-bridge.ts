import { context, trace, ROOT_CONTEXT, TraceFlags, createContextKey, isSpanContextValid, type Context, type ContextManager } from "@opentelemetry/api";
import { S } from "../state.js";
import { ALS_SCOPED, CLOSED, KEEP, type Flow, type Frame } from "../frame.js";
import { FlowLink, ownLink } from "../export/span-ids.js";
import { setOtelSuppressor } from "../export/suppress.js";
import { otelRegistry } from "../export/otel-registry.js";
import { FrameSpan, spanOfFrame } from "./frame-span.js";

/*
 * Both ways between functrace and the @opentelemetry/api context:
 * - into OpenTelemetry: the global ContextManager is wrapped; inside a traced function its
 *   active() is the context the program had, plus the function's span (FrameSpan), so
 *   tracer.startSpan() there makes a child of the function span. A context derived while a
 *   frame was current (startActiveSpan inside it) is marked with that frame and returned as is.
 * - out of OpenTelemetry: when a flow starts from untraced code (a request handler, a timer),
 *   the active OpenTelemetry span becomes the parent of the flow's entry calls, unless it is
 *   one the flow's ancestors already hang under (then the engine's parent frame is closer).
 */
const FRAME_KEY = createContextKey("functrace.frame");
const BRAND = Symbol.for("functrace.contextManager");

/** A ContextManager that adds the current traced function's span to the wrapped one's context. */
export class FunctraceContextManager implements ContextManager {
  readonly [BRAND] = true;
  readonly inner: ContextManager;

  constructor(inner: ContextManager) {
    this.inner = inner;
  }

  active(): Context {
    const base = this.inner.active();
    let frame = S.cursor.cur;
    if (frame === null) {
      // After an await in a traced() async function nothing is current, but the function's
      // frame is the AsyncLocalStorage store while it runs (the engine's continuation rule).
      const stored = S.als.getStore();
      if (stored === undefined || (stored.flags & (ALS_SCOPED | CLOSED)) !== ALS_SCOPED) return base;
      frame = stored;
    }
    if (base.getValue(FRAME_KEY) === frame) return base;
    return contextWithFrame(frame, base);
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.inner.with(ctx, fn, thisArg, ...args);
  }

  bind<T>(ctx: Context, target: T): T {
    return this.inner.bind(ctx, target);
  }

  enable(): this {
    this.inner.enable();
    return this;
  }

  disable(): this {
    this.inner.disable();
    return this;
  }
}

/** `base` plus the span of the nearest reported frame at or above `frame` in its flow. */
function contextWithFrame(frame: Frame, base: Context): Context {
  let target: Frame | null = frame;
  while (target !== null && !target.visible) {
    if (!target.flow.sampled) return base;
    const parent: Frame | null = target.parent;
    if ((parent === null || parent.flow !== target.flow) && ownLink(target.flow)?.parentSpanId !== undefined) return base;
    target = parent;
  }
  if (target === null) return base;
  frame.flags |= KEEP; // the context holds the frame
  const span = spanOfFrame(target);
  const cacheable = target === frame && span instanceof FrameSpan;
  if (cacheable && span.base === base) return span.context as Context;
  const ctx = trace.setSpan(base.setValue(FRAME_KEY, frame), span);
  if (cacheable) {
    span.base = base;
    span.context = ctx;
  }
  return ctx;
}

function isOurs(manager: unknown): boolean {
  return typeof manager === "object" && manager !== null && (manager as Record<symbol, unknown>)[BRAND] === true;
}

/** Wraps the registered global ContextManager, if there is one and it is not wrapped yet. */
function ensureWrapped(): void {
  const registry = otelRegistry();
  const manager = registry?.context;
  if (manager === undefined || isOurs(manager)) return;
  registry!.context = new FunctraceContextManager(manager);
}

/**
 * The flow-start hook: take the active OpenTelemetry span as the flow's parent when it is
 * foreign. Runs once per flow (for a root flow per call, that is per call), so it returns at
 * once when no OpenTelemetry context manager is registered: no active span can exist then.
 */
function onFlowStart(flow: Flow): void {
  const registry = otelRegistry();
  const manager = registry?.context;
  if (manager === undefined) return;
  if (!isOurs(manager)) registry!.context = new FunctraceContextManager(manager);
  if (!flow.sampled || S.cursor.cur !== null) return;
  const active = context.active();
  const spanContext = trace.getSpanContext(active);
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return;
  if (flow.parentId !== 0) {
    if (trace.getSpan(active) instanceof FrameSpan || hangsUnder(flow, spanContext.spanId)) return;
  }
  flow.ext = new FlowLink(spanContext.traceId, spanContext.spanId);
  flow.trace = flow;
  if ((spanContext.traceFlags & TraceFlags.SAMPLED) === 0) flow.sampled = false;
}

const SUPPRESS_KEY = createContextKey("OpenTelemetry SDK Context Key SUPPRESS_TRACING");

/** Runs `fn` with OpenTelemetry tracing suppressed (@opentelemetry/core's key: no spans for export requests). */
function otelSuppressed<T>(fn: () => T): T {
  return context.with(ROOT_CONTEXT.setValue(SUPPRESS_KEY, true), fn);
}

/** True when the flow's trace already hangs under that foreign span (its anchor's link says so). */
function hangsUnder(flow: Flow, spanId: string): boolean {
  return ownLink(flow.trace)?.parentSpanId === spanId;
}

let previousHook: ((flow: Flow) => void) | null = null;
let installed = false;

/**
 * Connects functrace flows with the @opentelemetry/api context (idempotent): wraps the global
 * ContextManager registered by the application's SDK (now, or at the next flow start if the
 * SDK registers later) and captures the active span when a flow starts.
 */
export function installContextBridge(): void {
  ensureWrapped();
  if (installed) return;
  installed = true;
  setOtelSuppressor(otelSuppressed);
  previousHook = S.onFlowStart;
  const chained = previousHook;
  S.onFlowStart = chained === null ? onFlowStart : (flow) => (chained(flow), onFlowStart(flow));
}

/** Undoes installContextBridge (tests; an SDK being shut down). */
export function uninstallContextBridge(): void {
  if (!installed) return;
  installed = false;
  S.onFlowStart = previousHook;
  previousHook = null;
  setOtelSuppressor(null);
  const registry = otelRegistry();
  if (registry?.context !== undefined && isOurs(registry.context)) registry.context = (registry.context as FunctraceContextManager).inner;
}
