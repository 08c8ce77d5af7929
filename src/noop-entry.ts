/**
 * The no-op twin of index.ts, loaded under the `functrace-off` export condition
 * (`node --conditions=functrace-off`, or a bundler's resolve.conditions). Same API, empty
 * functions, no dependencies: the tracing code costs (almost) nothing and pulls nothing in.
 */
import "./trace/compat-types.js"; // global Disposable types for consumers without esnext.disposable or @types/node
import { NOOP_API, type GeneratedApi } from "./trace/noop-api.js";
import { Frame, Flow } from "./trace/frame.js";
import { noopCls } from "./trace/noop-cls.js";
import type { SpanEnd } from "./trace/manual-trace.js";
import type { FlowInfo } from "./trace/current-flow.js";
import type { TraceConfig } from "./trace/configure.js";
import type { FilterOptions } from "./trace/filters.js";
import type { Sink } from "./trace/sink.js";
import type { DiagLogger } from "./trace/diag.js";
import type { TreePrinterOptions } from "./trace/sinks/tree-printer.js";

export type {
  SpanEnd,
  GeneratedApi,
  FlowInfo,
  TraceConfig,
  FilterOptions,
  Sink,
  DiagLogger,
  TreePrinterOptions,
};
export { Frame, Flow };

const END: SpanEnd = Object.assign(() => {}, { [Symbol.dispose]: () => {} });

export const __ft: GeneratedApi = NOOP_API;
export const isNoop = true;
export const trace = (_name?: string): SpanEnd => END;
export function traced(a: unknown, b?: unknown, c?: unknown): any {
  if (c !== undefined) return c; // legacy decorator (target, key, descriptor)
  if (typeof a === "function") return a;
  if (typeof b === "function") return b;
  return (method: unknown, _context: unknown, descriptor?: unknown) => descriptor ?? method;
}
export const currentFlow = (): FlowInfo | undefined => undefined;
export const configure = (_config: TraceConfig): void => {};
export class ConfigError extends Error {}
export const getFilters = (): Readonly<FilterOptions> => ({});
export const addSink = (_sink: Sink): void => {};
export const removeSink = (_sink: Sink): void => {};
export const getSinks = (): readonly Sink[] => [];
export const flush = async (): Promise<void> => {};
export const shutdown = async (): Promise<void> => {};
export const setEnabled = (_on: boolean): void => {};
export const setDiagLogger = (_logger: DiagLogger | null): void => {};
export class TreePrinter {
  constructor(_options?: TreePrinterOptions) {}
}
export class InMemorySink {
  readonly events: never[] = [];
  readonly finished: never[] = [];
  dropped = 0;
  reset(): void {}
  lines(): string[] {
    return [];
  }
}
export type { Namespace, ClsApi, EmitterLike } from "./trace/cls-types.js";
export const { createNamespace, getNamespace, destroyNamespace, getNamespaces, reset, ERROR_SYMBOL } = noopCls;
/** The cls-hooked API (no dependency: contexts hold for synchronous scopes, see trace/noop-cls.ts). */
export default noopCls;
