import type { Handler } from "../../adapter/types.js";
import { DEFAULT_CHECK_RESULT, DEFAULT_QUOTA_RESULT } from "../../adapter/results.js";

/** The no-op handler: accepts everything, does nothing, returns default results. */
export class NoopHandler implements Handler {
  handleReport(): void {}
  handleCheck(): typeof DEFAULT_CHECK_RESULT {
    return DEFAULT_CHECK_RESULT;
  }
  handleQuota(): typeof DEFAULT_QUOTA_RESULT {
    return DEFAULT_QUOTA_RESULT;
  }
  generateAttributes(): Record<string, never> {
    return {};
  }
  close(): void {}
}

