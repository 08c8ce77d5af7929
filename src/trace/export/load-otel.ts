/*
 * The @opentelemetry/* packages are optional peer dependencies: the runtime loads them (through
 * ../otel/) only when an OpenTelemetry exporter is configured. CommonJS loads synchronously
 * with require; ESM (no require in scope) uses import(), and the exporters join when it
 * resolves (spans wait in the bounded queue meanwhile). The context bridge alone needs only
 * @opentelemetry/api: the native Zipkin exporter loads it when that package is there.
 */
import type * as OtelSupport from "../otel/index.js";
import type * as BridgeModule from "../otel/context-bridge.js";

export type OtelSupportModule = typeof OtelSupport;
export type ContextBridgeModule = typeof BridgeModule;

declare const require: ((id: string) => unknown) | undefined;

let loaded: OtelSupportModule | Promise<OtelSupportModule> | undefined;
let bridge: ContextBridgeModule | Promise<ContextBridgeModule> | undefined;

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

/** The context bridge module (needs only @opentelemetry/api), loaded once; a promise under ESM. */
export function loadContextBridge(): ContextBridgeModule | Promise<ContextBridgeModule> {
  if (bridge !== undefined) return bridge;
  if (typeof require === "function") {
    bridge = require("../otel/context-bridge.js") as ContextBridgeModule;
  } else {
    const pending = import("../otel/context-bridge.js");
    bridge = pending;
    pending.then(
      (module) => (bridge = module),
      () => (bridge = undefined),
    );
  }
  return bridge;
}
