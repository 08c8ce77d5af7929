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
export { compileExpression, checkExpression, evaluateOnce, ExpressionError, EvaluationError, ReferencedAttributes } from "./expr/index.js";
export type { CompiledExpression } from "./expr/index.js";
export { ConfigError, ConfigValidationError, parseConfigText, loadConfigFiles, sourceFromObjects, buildSnapshot } from "./config/index.js";
export type { Snapshot, SnapshotOptions, LoadedSource } from "./config/index.js";
export { Variety, TEMPLATES, getTemplate } from "./template/index.js";
export type { TemplateInfo } from "./template/index.js";
export { Dispatcher, createDispatcher, Reporter, DispatchTimeoutError } from "./dispatcher/index.js";
export type { DispatcherOptions, ConfigUpdate, CheckResponse, QuotaResponse, DispatchStats, WatchConfig, WatchReload } from "./dispatcher/index.js";
export { StatusCode, AdapterRegistry, createAdapterRegistry, createLogger, STDERR_LOG_SINK, NOOP_LOG_SINK, DEFAULT_CHECK_RESULT, DEFAULT_QUOTA_RESULT } from "./adapter/index.js";
export type { AdapterInfo, Handler, HandlerBuilder, Env, Instance, CheckResult, QuotaArgs, QuotaResult, Status, Logger, LogSink, FieldError } from "./adapter/index.js";
export { BUILTIN_ADAPTERS, noopAdapter, stdioAdapter, listAdapter, denierAdapter, memquotaAdapter } from "./adapters/index.js";
