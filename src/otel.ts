/**
 * functrace/otel: the OpenTelemetry side, for applications that run their own SDK. Requires the
 * optional peers @opentelemetry/api, sdk-trace-base, resources and core (plus exporter-zipkin /
 * exporter-trace-otlp-http for those exporters). Re-exports only.
 */
export {
  installContextBridge,
  uninstallContextBridge,
  FunctraceContextManager,
  FrameSpan,
  FunctionReadableSpan,
  OtelExporterAdapter,
  createOtelExporter,
  TracerSink,
  createTracerSink,
  functionResource,
} from "./trace/otel/index.js";
