import { OK_STATUS, type Status } from "./status.js";
import type { CheckResult, QuotaResult } from "./types.js";

/** Mixer's default CheckResult: OK, 0 ms, 0 uses (means "no opinion"). */
export const DEFAULT_CHECK_RESULT: CheckResult = Object.freeze({ status: OK_STATUS, validDurationMs: 0, validUseCount: 0 });

/** Mixer's default QuotaResult: OK, 0 ms, nothing granted. */
export const DEFAULT_QUOTA_RESULT: QuotaResult = Object.freeze({ status: OK_STATUS, validDurationMs: 0, amount: 0 });

/** Builds a CheckResult. */
export function checkResult(status: Status, validDurationMs: number, validUseCount: number): CheckResult {
  return { status, validDurationMs, validUseCount };
}

/** `true` when the result equals the default (no adapter opinion). */
export function isDefaultCheckResult(r: CheckResult): boolean {
  return r.status.code === 0 && !r.status.message && r.validDurationMs === 0 && r.validUseCount === 0;
}
