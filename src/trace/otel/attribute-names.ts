/** Span attribute keys, in one place (OpenTelemetry semantic conventions for code, plus ours). */
export const ATTR_CODE_FUNCTION_NAME = "code.function.name";
export const ATTR_CODE_FILE_PATH = "code.file.path";
export const ATTR_CODE_LINE_NUMBER = "code.line.number";
export const ATTR_FUNCTRACE_FLOW = "functrace.flow";
export const ATTR_FUNCTRACE_DEPTH = "functrace.depth";
export const ATTR_FUNCTRACE_ASYNC = "functrace.async";
/** The instrumentation scope of function spans. */
export const SCOPE_NAME = "functrace";
export const SCOPE_VERSION = "0.1.0";
/** A flow's first call that continues a call of another trace: that call (Zipkin has no span links). */
export const ATTR_FUNCTRACE_LINK_TRACE_ID = "functrace.link.trace_id";
export const ATTR_FUNCTRACE_LINK_SPAN_ID = "functrace.link.span_id";
/** The server span of an incoming request (OpenTelemetry HTTP semantic conventions). */
export const ATTR_HTTP_REQUEST_METHOD = "http.request.method";
export const ATTR_URL_PATH = "url.path";
export const ATTR_HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";
