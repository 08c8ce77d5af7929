import { configureFromEnv } from "./configure.js";
import { isDisabledAtLoad } from "./env.js";
import { internalError } from "./diag.js";

// On the global object, like the engine state: when a program loads both the CommonJS and the
// ESM build, the environment is applied once (one printer, one set of exporters), not twice.
const STARTED = Symbol.for("functrace.started-from-env.v1");
const holder = globalThis as unknown as Record<symbol, boolean | undefined>;

/** Applies FUNCTRACE_* settings once per process; a failure is reported, never thrown. */
export function startFromEnv(): void {
  if (holder[STARTED] === true || isDisabledAtLoad()) return;
  holder[STARTED] = true;
  try {
    configureFromEnv();
  } catch (error) {
    internalError("configuration from environment", error);
  }
}
