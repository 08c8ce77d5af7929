import type { ContextManager } from "@opentelemetry/api";

/*
 * The @opentelemetry/api global registry, read without loading the API: it exists once the
 * application registered something with it (a context manager, a tracer provider). Type-only
 * import: nothing of @opentelemetry/api is loaded from here.
 */
const OTEL_API_KEY = Symbol.for("opentelemetry.js.api.1");

export type OtelApiRegistry = { context?: ContextManager } | undefined;

/** The registry object, or undefined while nothing was registered with the API. */
export function otelRegistry(): OtelApiRegistry {
  return (globalThis as Record<symbol, OtelApiRegistry>)[OTEL_API_KEY];
}
