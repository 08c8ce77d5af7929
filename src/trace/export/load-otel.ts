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

/** Loads a module once: synchronously under CommonJS, a promise (replaced by the module once it resolves) under ESM. */
function loadOnce<M>(load: () => M | Promise<M>): () => M | Promise<M> {
  let cached: M | Promise<M> | undefined;
  return () => {
    if (cached !== undefined) return cached;
    const result = load();
    cached = result;
    if (result instanceof Promise) {
      result.then(
        (module) => (cached = module),
        () => (cached = undefined),
      );
    }
    return result;
  };
}

/** The OpenTelemetry support module, loaded once; a promise under ESM. Throws/rejects when the packages are missing. */
export const loadOtelSupport = loadOnce<OtelSupportModule>(() =>
  typeof require === "function" ? (require("../otel/index.js") as OtelSupportModule) : import("../otel/index.js"),
);

/** The context bridge module (needs only @opentelemetry/api), loaded once; a promise under ESM. */
export const loadContextBridge = loadOnce<ContextBridgeModule>(() =>
  typeof require === "function"
    ? (require("../otel/context-bridge.js") as ContextBridgeModule)
    : import("../otel/context-bridge.js"),
);
