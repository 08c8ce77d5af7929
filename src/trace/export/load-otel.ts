/*
 * The @opentelemetry/* packages are optional peer dependencies: the runtime loads them (through
 * ../otel/) only when an OpenTelemetry exporter is configured. CommonJS loads synchronously
 * with require; ESM (no require in scope) uses import(), and the exporters join when it
 * resolves (spans wait in the bounded queue meanwhile). The context bridge alone needs only
 * @opentelemetry/api: the native Zipkin exporter loads it when that package is there.
 *
 * Bundlers must not follow these loads into the optional peers (esbuild fails on a missing
 * package; Rollup and rolldown put the core in one chunk with them): the specifiers are built
 * at run time, so no bundler sees a module to include. A bundled application has no ../otel/
 * next to the bundle: it falls back to the installed `functrace/otel` entry, when there is one.
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

/** A module path hidden from static analysis (bundlers follow only literal specifiers). */
const computed = (...parts: string[]): string => parts.join("/");

/** Loads the first specifier that loads: synchronously with require, else (ESM, or a bundle's throwing require shim) with import(). */
function loadFirst<M>(specifiers: () => string[]): M | Promise<M> {
  const ids = specifiers();
  if (typeof require === "function") {
    const req = require;
    try {
      return firstOf(ids, (id) => req(id) as M);
    } catch {
      // an ESM bundle's require shim, or missing peers: import() decides (and reports) below
    }
  }
  let promise = importModule<M>(ids[0]);
  for (const id of ids.slice(1)) promise = promise.catch((first: unknown) => importModule<M>(id).catch(() => Promise.reject(first)));
  return promise;
}

function firstOf<M>(ids: string[], load: (id: string) => M): M {
  let first: unknown;
  for (const id of ids) {
    try {
      return load(id);
    } catch (error) {
      first ??= error;
    }
  }
  throw first;
}

const importModule = <M>(id: string): Promise<M> => import(id) as Promise<M>;

/** The OpenTelemetry support module, loaded once; a promise under ESM. Throws/rejects when the packages are missing. */
export const loadOtelSupport = loadOnce<OtelSupportModule>(() =>
  loadFirst<OtelSupportModule>(() => [computed("..", "otel", "index.js"), computed("functrace", "otel")]),
);

/** The context bridge module (needs only @opentelemetry/api), loaded once; a promise under ESM. */
export const loadContextBridge = loadOnce<ContextBridgeModule>(() =>
  loadFirst<ContextBridgeModule>(() => [computed("..", "otel", "context-bridge.js"), computed("functrace", "otel")]),
);
