/** Public barrel of the Mixer core (attribute model, expressions, config, dispatcher, adapters). */
export {
  ValueType,
  valueTypeName,
  Duration,
  Timestamp,
  IpAddress,
  StringMap,
  MutableBag,
  createBag,
  createFinder,
  bagFromJSON,
  formatValue,
  toJSONValue,
  STANDARD_MANIFESTS,
} from "./attribute/index.js";
export type { Value, Bag, AttributeManifest, AttributeDescriptorFinder } from "./attribute/index.js";
// The wire API (§2): CompressedAttributes and Report requests in their proto3 JSON/object form.
export {
  encodeAttributes,
  decodeAttributes,
  encodeReport,
  decodeReport,
  WireFormatError,
  WireLimitError,
  MAX_WIRE_ELEMENTS,
  RepeatedAttributesSemantics,
  GLOBAL_DICTIONARY,
} from "./attribute/index.js";
export type {
  CompressedAttributes,
  ReportRequest,
  DecodedReport,
  DecodeOptions,
  ReportDecodeOptions,
  ReportEncodeOptions,
  WireOptions,
  WireTime,
  WireStringMap,
} from "./attribute/index.js";
export { compileExpression, checkExpression, evaluateOnce, ExpressionError, EvaluationError, ReferencedAttributes, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH } from "./expr/index.js";
export type { CompiledExpression } from "./expr/index.js";
export { ConfigError, ConfigValidationError, parseConfigText, loadConfigFiles, sourceFromObjects, buildSnapshot, MAX_YAML_ALIASES } from "./config/index.js";
export type { Snapshot, SnapshotOptions, LoadedSource } from "./config/index.js";
export { Variety, TEMPLATES, getTemplate } from "./template/index.js";
export type { TemplateInfo } from "./template/index.js";
export { Dispatcher, createDispatcher, Reporter, DispatchTimeoutError } from "./dispatcher/index.js";
export type { DispatcherOptions, ConfigUpdate, CheckResponse, QuotaResponse, DispatchStats, WatchConfig, WatchReload, RouteDirective, HeaderOperation } from "./dispatcher/index.js";
export { StatusCode, AdapterRegistry, createAdapterRegistry, createLogger, STDERR_LOG_SINK, NOOP_LOG_SINK, DEFAULT_CHECK_RESULT, DEFAULT_QUOTA_RESULT } from "./adapter/index.js";
export type { AdapterInfo, Handler, HandlerBuilder, Env, Instance, CheckResult, QuotaArgs, QuotaResult, Status, Logger, LogSink, FieldError } from "./adapter/index.js";
export { BUILTIN_ADAPTERS, noopAdapter, stdioAdapter, listAdapter, denierAdapter, memquotaAdapter } from "./adapters/index.js";
export { prometheusAdapter, newPrometheusBuilder, PrometheusHandler, PrometheusReportError } from "./adapters/index.js";
export { statsdAdapter, StatsdHandler, circonusAdapter, CirconusHandler, CirconusHistogram, HistogramError } from "./adapters/index.js";
