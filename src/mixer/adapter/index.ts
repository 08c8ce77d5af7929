export type { Instance, InstanceTypes, CheckResult, QuotaArgs, QuotaResult, Handler, FieldError, BuilderInput, HandlerBuilder, AdapterInfo, Env } from "./types.js";
export { StatusCode, OK_STATUS, statusCodeName, parseStatusCode, isOk } from "./status.js";
export type { Status } from "./status.js";
export { createLogger, NOOP_LOG_SINK, STDERR_LOG_SINK } from "./logger.js";
export type { Logger, LogSink } from "./logger.js";
export { HandlerEnv } from "./env.js";
export { AdapterRegistry, createAdapterRegistry } from "./registry.js";
export { DEFAULT_CHECK_RESULT, DEFAULT_QUOTA_RESULT, checkResult, isDefaultCheckResult } from "./results.js";
export { readFields, readDuration, readInt, readBool, readString, readEnum, readStringList, parseDurationMs, isPlainObject } from "./params.js";
