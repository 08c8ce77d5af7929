/**
 * The span vocabulary: every attribute a finished call's bag can hold, its type and where its
 * value comes from. Declared for the type checker in the `functrace` manifest
 * (src/mixer/attribute/standard-manifests.ts, a test keeps the two in step). Values are read
 * from the columns row on demand (see SpanBag), so a config pays only for what it reads.
 */
import { StringMap, ValueType, type Duration, type Value } from "../mixer/attribute/index.js";
import type { SpanColumns } from "../trace/export/span-columns.js";
import { spanIdFromNumber } from "../trace/export/span-ids.js";
import {
  ATTR_CODE_FILE_PATH,
  ATTR_CODE_FUNCTION_NAME,
  ATTR_CODE_LINE_NUMBER,
  ATTR_FUNCTRACE_ASYNC,
  ATTR_FUNCTRACE_DEPTH,
  ATTR_FUNCTRACE_FLOW,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_URL_PATH,
} from "../trace/otel/attribute-names.js";
import { errorMessage, errorType, timestampOf } from "./span-values.js";

/** What a getter reads: the row, and values computed once per row. */
export interface SpanRow {
  readonly cols: SpanColumns;
  readonly row: number;
  duration(): Duration;
  boundedName(): string;
  serviceName(): string;
  namespace(): string;
}

/** One attribute of the vocabulary. */
export interface SpanAttribute {
  readonly name: string;
  readonly type: ValueType;
  readonly description: string;
  /** The value for a row, undefined when absent. */
  readonly get: (r: SpanRow) => Value | undefined;
}

const S = ValueType.STRING;
const I = ValueType.INT64;
const B = ValueType.BOOL;
const T = ValueType.TIMESTAMP;
const D = ValueType.DURATION;

const isServer = (r: SpanRow): boolean => r.cols.request(r.row) !== null;
const failedError = (r: SpanRow): { error: unknown } | undefined => (r.cols.failed(r.row) ? { error: r.cols.errors.get(r.row) } : undefined);

function attributesOf(r: SpanRow): StringMap {
  const { cols, row } = r;
  const m = new Map<string, string>();
  m.set(ATTR_CODE_FUNCTION_NAME, cols.names[row]);
  if (cols.files[row] !== "") m.set(ATTR_CODE_FILE_PATH, cols.files[row]);
  if (cols.lines[row] > 0) m.set(ATTR_CODE_LINE_NUMBER, String(cols.lines[row]));
  m.set(ATTR_FUNCTRACE_FLOW, String(cols.flowIds[row]));
  m.set(ATTR_FUNCTRACE_DEPTH, String(cols.depths[row]));
  if (cols.async(row)) m.set(ATTR_FUNCTRACE_ASYNC, "true");
  const req = cols.request(row);
  if (req !== null) {
    m.set(ATTR_HTTP_REQUEST_METHOD, req.method);
    m.set(ATTR_URL_PATH, req.path);
    if (req.status > 0) m.set(ATTR_HTTP_RESPONSE_STATUS_CODE, String(req.status));
  }
  return new StringMap(m, "span.attributes");
}

const a = (name: string, type: ValueType, description: string, get: (r: SpanRow) => Value | undefined): SpanAttribute => ({ name, type, description, get });

/** The vocabulary, in documentation order. */
export const SPAN_VOCABULARY: readonly SpanAttribute[] = Object.freeze([
  a("span.name", S, "qualified function name (`module.Class.method`)", (r) => r.cols.names[r.row]),
  a("span.bounded_name", S, "`span.name` for the first `maxFunctions` distinct functions, `__overflow__` after (use it as a metric label)", (r) => r.boundedName()),
  a("span.kind", S, "`server` for the span of an incoming HTTP request, else `internal`", (r) => (isServer(r) ? "server" : "internal")),
  a("span.trace_id", S, "32 hex digits", (r) => r.cols.traceId(r.row)),
  a("span.id", S, "16 hex digits", (r) => spanIdFromNumber(r.cols.ids[r.row])),
  a("span.parent_id", S, "16 hex digits, `\"\"` for a root span", (r) => r.cols.parentSpanId(r.row) ?? ""),
  a("span.flow", I, "flow id (the NN of `g[NN]`)", (r) => BigInt(r.cols.flowIds[r.row])),
  a("span.depth", I, "logical call depth (1 = no traced caller)", (r) => BigInt(r.cols.depths[r.row])),
  a("span.start_time", T, "when the call started", (r) => timestampOf(r.cols.starts[r.row])),
  a("span.end_time", T, "when it returned, threw or (async) settled", (r) => timestampOf(r.cols.ends[r.row])),
  a("span.duration", D, "end − start", (r) => r.duration()),
  a("span.duration_ms", ValueType.DOUBLE, "the duration in milliseconds, for comparisons (CEXL does not order DURATIONs)", (r) => r.cols.ends[r.row] - r.cols.starts[r.row]),
  a("span.error", B, "the call threw or its promise rejected", (r) => r.cols.failed(r.row)),
  a("span.error_type", S, "the error's `name` (`TypeError`), or the thrown value's type; only when `span.error`", (r) => {
    const f = failedError(r);
    return f === undefined ? undefined : errorType(f.error);
  }),
  a("span.error_message", S, "the error's message (at most 1,024 characters); only when `span.error`", (r) => {
    const f = failedError(r);
    return f === undefined ? undefined : errorMessage(f.error);
  }),
  a("span.async", B, "the call suspended at least once", (r) => r.cols.async(r.row)),
  a("span.file", S, "source file; absent when unknown", (r) => (r.cols.files[r.row] === "" ? undefined : r.cols.files[r.row])),
  a("span.line", I, "source line; absent when unknown", (r) => (r.cols.lines[r.row] > 0 ? BigInt(r.cols.lines[r.row]) : undefined)),
  a("span.attributes", ValueType.STRING_MAP, "the OpenTelemetry span attributes (`code.function.name`, `functrace.flow`, ...), as text", attributesOf),
  a("span.origin.flow", I, "on a flow's first call when another flow spawned it: that flow", (r) => {
    const o = r.cols.origin(r.row);
    return o === null ? undefined : BigInt(o.flowId);
  }),
  a("span.origin.id", S, "... and the span that spawned it", (r) => r.cols.origin(r.row)?.spanId),
  a("context.reporter.kind", S, "`inbound` (Mixer namespace selection reads `destination.namespace`)", () => "inbound"),
  a("context.protocol", S, "`http` for the span of an incoming HTTP request, else `function`", (r) => (isServer(r) ? "http" : "function")),
  a("destination.service.name", S, "the service: option `serviceName`, else OTEL_SERVICE_NAME, else `functrace`", (r) => r.serviceName()),
  a("destination.namespace", S, "option `namespace`, else the module of `span.name` (rules in that namespace see only its spans)", (r) => r.namespace()),
  a("request.time", T, "= `span.start_time` (for Istio-style configs)", (r) => timestampOf(r.cols.starts[r.row])),
  a("response.time", T, "= `span.end_time`", (r) => timestampOf(r.cols.ends[r.row])),
  a("response.duration", D, "= `span.duration`", (r) => r.duration()),
  a("request.method", S, "HTTP server spans only", (r) => r.cols.request(r.row)?.method),
  a("request.path", S, "HTTP server spans only (no query string)", (r) => r.cols.request(r.row)?.path),
  a("response.code", I, "HTTP server spans only, once the response finished", (r) => {
    const status = r.cols.request(r.row)?.status ?? 0;
    return status > 0 ? BigInt(status) : undefined;
  }),
]);

/** name → attribute. */
export const SPAN_ATTRIBUTES: ReadonlyMap<string, SpanAttribute> = new Map(SPAN_VOCABULARY.map((x) => [x.name, x]));
