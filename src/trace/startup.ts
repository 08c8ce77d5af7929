import { configureFromEnv } from "./configure.js";
import { isDisabledAtLoad } from "./env.js";
import { internalError } from "./diag.js";

let started = false;

/** Applies FUNCTRACE_* settings once per process; a failure is reported, never thrown. */
export function startFromEnv(): void {
  if (started || isDisabledAtLoad()) return;
  started = true;
  try {
    configureFromEnv();
  } catch (error) {
    internalError("configuration from environment", error);
  }
}
