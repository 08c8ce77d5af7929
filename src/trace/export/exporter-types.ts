/*
 * Named exporter types registered from outside the runtime (the Mixer span bridge registers
 * `mixer`): `configure({ exporters: [{ type: "mixer", ...options }] })` and
 * `FUNCTRACE_EXPORTER=mixer` find the factory here, so the runtime never imports the module
 * that implements it. A known type that is not registered yet is loaded on first use, with a
 * computed specifier (bundlers follow only literal ones): synchronously with require under
 * CommonJS, with import() under ESM (the pipeline then waits for it, spans queue meanwhile).
 * The table lives on the global object: the CommonJS and ESM builds of one process share it.
 */
import type { SpanExporter } from "./exported-span.js";

/** What a factory gets besides the spec's own options. */
export interface ExporterContext {
  /** The pipeline's per-export timeout (a factory's own timeouts should stay below it). */
  readonly exportTimeoutMillis: number;
}

/** Creates the exporter of one `{ type, ...options }` spec (a string spec gets `{ type }`). */
export type ExporterFactory = (options: Readonly<Record<string, unknown>>, context: ExporterContext) => SpanExporter | Promise<SpanExporter>;

/** The shape a lazily loaded exporter module exports. */
interface ExporterModule {
  readonly createExporter: ExporterFactory;
}

const KEY = Symbol.for("functrace.exporter-types.v1");
const holder = globalThis as unknown as Record<symbol, Map<string, ExporterFactory> | undefined>;
const factories: Map<string, ExporterFactory> = (holder[KEY] ??= new Map());

/** A module path hidden from static analysis (bundlers follow only literal specifiers). */
const computed = (...parts: string[]): string => parts.join("/");

/** Types the runtime can load by itself: the module next to this build first, then the installed package. */
const LOADABLE: Readonly<Record<string, () => string[]>> = {
  mixer: () => [computed("..", "..", "mixer-bridge", "index.js"), computed("functrace", "mixer-bridge")],
};

/** Registers (or replaces) the factory of exporter type `name` (lower case, e.g. "mixer"). */
export function registerExporterType(name: string, factory: ExporterFactory): void {
  factories.set(name, factory);
}

/** The registered factory of `name`, if any. */
export function getExporterType(name: string): ExporterFactory | undefined {
  return factories.get(name);
}

/** True when `name` is registered or loadable: a valid exporter name or `type`. */
export function isExporterType(name: unknown): boolean {
  return typeof name === "string" && (factories.has(name) || Object.hasOwn(LOADABLE, name));
}

/** Names of registered and loadable types (for messages). */
export function exporterTypeNames(): string[] {
  return [...new Set([...Object.keys(LOADABLE), ...factories.keys()])];
}

declare const require: ((id: string) => unknown) | undefined;

/**
 * Creates the exporter of a registered or loadable type, or returns undefined when `spec` is
 * not one. A promise when the factory is asynchronous or the module loads asynchronously;
 * it rejects when the module cannot be loaded or the factory fails. Never throws.
 */
export function createRegistered(spec: unknown, context: ExporterContext): SpanExporter | Promise<SpanExporter> | undefined {
  const options = typeof spec === "string" ? { type: spec } : (spec as Record<string, unknown> | null);
  const type = options?.type;
  if (typeof type !== "string" || !isExporterType(type)) return undefined;
  try {
    const factory = factories.get(type);
    if (factory !== undefined) return factory(options!, context);
    const loaded = load(type);
    if (loaded instanceof Promise) return loaded.then((f) => f(options!, context));
    return loaded(options!, context);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function load(type: string): ExporterFactory | Promise<ExporterFactory> {
  const ids = LOADABLE[type]();
  const use = (m: ExporterModule, id: string): ExporterFactory => {
    if (typeof m?.createExporter !== "function") throw new Error(`${id} does not export createExporter()`);
    registerExporterType(type, m.createExporter);
    return m.createExporter;
  };
  let first: unknown;
  if (typeof require === "function") {
    for (const id of ids) {
      try {
        return use(require(id) as ExporterModule, id);
      } catch (error) {
        first ??= error;
      }
    }
  }
  // ESM (no require), or a bundle's throwing require shim: import() the same specifiers in turn.
  const attempt = async (): Promise<ExporterFactory> => {
    for (const id of ids) {
      try {
        return use((await import(id)) as ExporterModule, id);
      } catch (error) {
        first ??= error;
      }
    }
    throw first;
  };
  return attempt();
}
