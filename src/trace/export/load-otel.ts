/*
 * The @opentelemetry/* packages are optional peer dependencies: the runtime loads them (through
 * ../otel/) only when an OpenTelemetry exporter is configured. CommonJS loads synchronously
 * with require; ESM (no require in scope) uses import(), and the exporters join when it
 * resolves (spans wait in the bounded queue meanwhile).
 */
import type * as OtelSupport from "../otel/index.js";

export type OtelSupportModule = typeof OtelSupport;

declare const require: ((id: string) => unknown) | undefined;

let loaded: OtelSupportModule | Promise<OtelSupportModule> | undefined;

/** The OpenTelemetry support module, loaded once; a promise under ESM. Throws/rejects when the packages are missing. */
export function loadOtelSupport(): OtelSupportModule | Promise<OtelSupportModule> {
  if (loaded !== undefined) return loaded;
  if (typeof require === "function") {
    loaded = require("../otel/index.js") as OtelSupportModule;
  } else {
    const pending = import("../otel/index.js");
    loaded = pending;
    pending.then(
      (module) => (loaded = module),
      () => (loaded = undefined),
    );
  }
  return loaded;
}
