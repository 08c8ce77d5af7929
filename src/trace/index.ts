import "./compat-types.js"; // global Disposable types for consumers without esnext.disposable or @types/node
export { trace, type SpanEnd } from "./manual-trace.js";
export { traced, type TracedDecorator } from "./traced.js";
export { __ft, NOOP_API, type GeneratedApi } from "./generated-api.js";
export { currentFlow, type FlowInfo } from "./current-flow.js";
export { configure, ConfigError, type TraceConfig } from "./configure.js";
export { getFilters, type FilterOptions } from "./filters.js";
export { addSink, removeSink, getSinks, flush, shutdown, setEnabled } from "./registry.js";
export { setDiagLogger, type DiagLogger } from "./diag.js";
export { TreePrinter, type TreePrinterOptions } from "./sinks/tree-printer.js";
export { InMemorySink, type TraceEvent } from "./sinks/in-memory-sink.js";
export { Frame, Flow } from "./frame.js";
export type { Sink } from "./sink.js";
export {
  cls,
  createNamespace,
  getNamespace,
  destroyNamespace,
  getNamespaces,
  reset,
  ERROR_SYMBOL,
  type Namespace,
  type ClsApi,
  type EmitterLike,
} from "./cls.js";
export { startFromEnv } from "./startup.js";
export { RingRecorder, type RecordedCall } from "./sinks/ring-recorder.js";
export {
  RecordWriter,
  readRecordingFile,
  decodeRecording,
  RecordingError,
  renderTree,
  renderChrome,
  renderZipkin,
  renderOtlpJson,
  type RecordOptions,
  type Recording,
  type RenderFilter,
} from "./record/index.js";
export {
  getExporters,
  getExportStats,
  MemorySpanExporter,
  ChromeTraceExporter,
  ZipkinJsonExporter,
  type ZipkinJsonExporterOptions,
  type ColumnarSpanExporter,
  type ExportedSpan,
  type SpanExporter,
  type BatchOptions,
  type ExportStats,
  type ExporterSpec,
} from "./export/index.js";
