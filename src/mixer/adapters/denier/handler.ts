import type { CheckResult, FieldError, Handler } from "../../adapter/types.js";
import { DEFAULT_QUOTA_RESULT } from "../../adapter/results.js";
import { StatusCode, parseStatusCode } from "../../adapter/status.js";
import { describe, readDuration, readFields, readInt, readString } from "../../adapter/params.js";

/** Parsed denier params. */
export interface DenierConfig {
  readonly result: CheckResult;
}

/** Parses denier params (`status {code, message}`, `valid_duration`, `valid_use_count`). */
export function parseDenierConfig(raw: unknown, errors: FieldError[]): DenierConfig {
  const p = readFields(raw, "", ["status", "valid_duration", "valid_use_count"], errors);
  const s = readFields(p.status, "status", ["code", "message", "details"], errors);
  let code = StatusCode.FAILED_PRECONDITION;
  if (s.code !== undefined) {
    const c = parseStatusCode(s.code);
    if (c === undefined) errors.push({ field: "status.code", message: `unknown status code ${describe(s.code)}` });
    else code = c;
  }
  const message = readString(s.message, "status.message", errors) ?? "";
  const validDurationMs = readDuration(p.valid_duration, "valid_duration", errors) ?? 5000;
  const validUseCount = readInt(p.valid_use_count, "valid_use_count", errors) ?? 1000;
  if (validUseCount < 0) errors.push({ field: "valid_use_count", message: "must be >= 0" });
  return { result: { status: message ? { code, message } : { code }, validDurationMs, validUseCount } };
}

/** Answers every Check with the configured status; grants no quota. */
export class DenierHandler implements Handler {
  private readonly _result: CheckResult;
  constructor(config: DenierConfig) {
    this._result = config.result;
  }
  handleCheck(): CheckResult {
    return this._result;
  }
  handleQuota(): typeof DEFAULT_QUOTA_RESULT {
    return DEFAULT_QUOTA_RESULT;
  }
  close(): void {}
}

