export { installContextBridge, uninstallContextBridge, FunctraceContextManager } from "./context-bridge.js";
export { FrameSpan } from "./frame-span.js";
export { FunctionReadableSpan } from "./readable-span.js";
export { OtelExporterAdapter, createOtelExporter } from "./otel-exporter.js";
export { TracerSink, createTracerSink } from "./tracer-sink.js";
export { functionResource } from "./resource.js";
