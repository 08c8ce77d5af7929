import { performance } from "node:perf_hooks";
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type HrTime, type Link, type SpanContext, type SpanStatus } from "@opentelemetry/api";
import type { InstrumentationScope } from "@opentelemetry/core";
import type { Resource } from "@opentelemetry/resources";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace-base";
import type { ExportedSpan } from "../export/exported-span.js";
import * as A from "./attribute-names.js";

const SCOPE: InstrumentationScope = { name: A.SCOPE_NAME, version: A.SCOPE_VERSION };
const OK_STATUS: SpanStatus = { code: SpanStatusCode.UNSET };
const NO_LINKS: Link[] = [];
const NO_EVENTS: TimedEvent[] = [];

/**
 * A finished function call as the OpenTelemetry SDK exporters read it: a plain object that
 * implements sdk-trace-base 2.x ReadableSpan, built at export time from an ExportedSpan (no SDK
 * Span is ever created). Times are whole microseconds (Zipkin wants integers) and a duration is
 * at least 1 µs.
 */
export class FunctionReadableSpan implements ReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly duration: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: TimedEvent[];
  readonly ended = true;
  readonly resource: Resource;
  readonly instrumentationScope = SCOPE;
  readonly droppedAttributesCount = 0;
  readonly droppedEventsCount = 0;
  readonly droppedLinksCount = 0;
  private readonly _context: SpanContext;

  constructor(span: ExportedSpan, resource: Resource) {
    this.name = span.name;
    this.kind = span.request !== undefined ? SpanKind.SERVER : SpanKind.INTERNAL;
    const origin = span.origin;
    this.links =
      origin?.traceId !== undefined
        ? [{ context: { traceId: origin.traceId, spanId: origin.spanId, traceFlags: TraceFlags.SAMPLED }, attributes: { "functrace.flow": origin.flowId } }]
        : NO_LINKS;
    this._context = { traceId: span.traceId, spanId: span.spanId, traceFlags: TraceFlags.SAMPLED };
    this.parentSpanContext =
      span.parentSpanId === undefined ? undefined : { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: TraceFlags.SAMPLED };
    const startUs = Math.round((performance.timeOrigin + span.start) * 1000);
    const durationUs = Math.max(1, Math.round((span.end - span.start) * 1000));
    this.startTime = toHrTime(startUs);
    this.endTime = toHrTime(startUs + durationUs);
    this.duration = toHrTime(durationUs);
    this.attributes = attributesOf(span);
    this.resource = resource;
    if (span.failed && span.request !== undefined) {
      this.status = { code: SpanStatusCode.ERROR };
      this.events = NO_EVENTS;
    } else if (span.failed) {
      this.status = { code: SpanStatusCode.ERROR, message: errorMessage(span.error) };
      this.events = [exceptionEvent(span.error, this.endTime)];
    } else {
      this.status = OK_STATUS;
      this.events = NO_EVENTS;
    }
  }

  spanContext(): SpanContext {
    return this._context;
  }
}

function toHrTime(micros: number): HrTime {
  return [Math.floor(micros / 1e6), (micros % 1e6) * 1000];
}

function attributesOf(span: ExportedSpan): Attributes {
  const request = span.request;
  if (request !== undefined) {
    const http: Attributes = { [A.ATTR_HTTP_REQUEST_METHOD]: request.method, [A.ATTR_URL_PATH]: request.path, [A.ATTR_FUNCTRACE_FLOW]: span.flowId };
    if (request.status > 0) http[A.ATTR_HTTP_RESPONSE_STATUS_CODE] = request.status;
    return http;
  }
  const attributes: Attributes = { [A.ATTR_CODE_FUNCTION_NAME]: span.name };
  if (span.file !== "") attributes[A.ATTR_CODE_FILE_PATH] = span.file;
  if (span.line > 0) attributes[A.ATTR_CODE_LINE_NUMBER] = span.line;
  attributes[A.ATTR_FUNCTRACE_FLOW] = span.flowId;
  attributes[A.ATTR_FUNCTRACE_DEPTH] = span.depth;
  if (span.async) attributes[A.ATTR_FUNCTRACE_ASYNC] = true;
  return attributes;
}

function errorMessage(error: unknown): string {
  try {
    if (error instanceof Error) return error.message;
    return String(error);
  } catch {
    return "<unprintable>";
  }
}

/** An "exception" event with the semantic-convention attributes. */
function exceptionEvent(error: unknown, time: HrTime): TimedEvent {
  const attributes: Attributes = { "exception.message": errorMessage(error) };
  try {
    if (error instanceof Error) {
      attributes["exception.type"] = error.name;
      if (typeof error.stack === "string") attributes["exception.stacktrace"] = error.stack;
    } else {
      attributes["exception.type"] = typeof error;
    }
  } catch {
    // A hostile error object must not break export.
  }
  return { name: "exception", time, attributes, droppedAttributesCount: 0 };
}
