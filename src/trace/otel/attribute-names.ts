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
