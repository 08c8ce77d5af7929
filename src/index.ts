/**
 * functrace: function-level tracing for Node.js. Public API; re-exports only.
 * The no-op twin of this module is ./noop-entry.ts (the `functrace-off` export condition).
 */
import { cls, startFromEnv } from "./trace/index.js";

export {
  trace,
  traced,
  __ft,
  currentFlow,
  configure,
  ConfigError,
  getFilters,
  addSink,
  removeSink,
  getSinks,
  flush,
  shutdown,
  setEnabled,
  setDiagLogger,
  TreePrinter,
  InMemorySink,
  RingRecorder,
  RecordWriter,
  readRecordingFile,
  decodeRecording,
  RecordingError,
  renderTree,
  renderChrome,
  renderZipkin,
  renderOtlpJson,
  Frame,
  Flow,
  createNamespace,
  getNamespace,
  destroyNamespace,
  getNamespaces,
  reset,
  ERROR_SYMBOL,
  getExporters,
  getExportStats,
  MemorySpanExporter,
  ChromeTraceExporter,
  ZipkinJsonExporter,
} from "./trace/index.js";
export type {
  SpanEnd,
  GeneratedApi,
  FlowInfo,
  TraceConfig,
  FilterOptions,
  DiagLogger,
  TreePrinterOptions,
  TraceEvent,
  Sink,
  Namespace,
  ClsApi,
  EmitterLike,
  TracedDecorator,
  RecordedCall,
  ExportedSpan,
  SpanExporter,
  BatchOptions,
  ExportStats,
  ExporterSpec,
  ZipkinJsonExporterOptions,
  ColumnarSpanExporter,
  RecordOptions,
  Recording,
  RenderFilter,
} from "./trace/index.js";

/** True in the real module, false in the no-op twin loaded under the `functrace-off` condition. */
export const isNoop = false;

/** The cls-hooked API as the default export, so `import cls from "functrace"` works as it does with cls-hooked. */
export default cls;

startFromEnv();
