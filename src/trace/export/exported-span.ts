import type { SpanColumns } from "./span-columns.js";

/**
 * A finished call as exporters receive it: plain data built from the export sink's columns at export time (never
 * on the hot path). Times are performance.now() milliseconds; add performance.timeOrigin for
 * the epoch. OpenTelemetry exporters get these converted to ReadableSpans.
 */
export interface ExportedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** The nearest exported ancestor (or the flow's foreign parent); undefined for a root span. */
  readonly parentSpanId: string | undefined;
  readonly name: string;
  /** Source file and line of the function, "" and 0 when unknown. */
  readonly file: string;
  readonly line: number;
  /** The flow (g[NN]) and the logical call depth. */
  readonly flowId: number;
  readonly depth: number;
  readonly start: number;
  readonly end: number;
  /** True when the call threw or its promise rejected; `error` is that value. */
  readonly failed: boolean;
  readonly error: unknown;
  /** True for a call that suspended at least once (its span ended when its promise settled). */
  readonly async: boolean;
  /** Set on the server span of an incoming HTTP request (kind SERVER). */
  readonly request?: { readonly method: string; readonly path: string; readonly status: number };
  /** Set on the first call of a flow that another flow spawned: where it came from. */
  readonly origin?: SpanOrigin;
}

/** The flow and call that spawned a flow; `traceId` when that call is in another trace (a span link). */
export interface SpanOrigin {
  readonly flowId: number;
  readonly spanId: string;
  readonly traceId: string | undefined;
}

/** Receives batches of finished spans. Off the hot path; may be slow; failures are counted. */
export interface SpanExporter {
  /** A short name for diagnostics and statistics ("zipkin", "chrome", ...). */
  readonly name: string;
  /**
   * True for a synchronous local writer (the Chrome file): batches are handed over as they fill,
   * with no queue limit, so nothing is ever dropped.
   */
  readonly writesThrough?: boolean;
  /** Exports one batch; a rejected promise or a throw counts the batch as dropped. */
  export(spans: readonly ExportedSpan[]): void | Promise<void>;
  /** Writes out what the exporter itself buffers. */
  flush?(): void | Promise<void>;
  /** Flushes and releases resources. */
  shutdown?(): void | Promise<void>;
}

/**
 * An exporter that serializes straight from the export sink's columns (no ExportedSpan objects):
 * `encodeColumns` runs right before `send`, one payload in flight (spans wait as columns until then).
 */
export interface ColumnarSpanExporter extends SpanExporter {
  /** Serializes rows [from, to) of a batch (its rows are reused once this returns). */
  encodeColumns(batch: SpanColumns, from: number, to: number): Uint8Array;
  /** Sends one encoded payload of `count` spans; a rejected promise or a throw counts them as dropped. */
  send(payload: Uint8Array, count: number): void | Promise<void>;
}

/** True for an exporter that reads the columns itself. */
export function isColumnar(exporter: SpanExporter): exporter is ColumnarSpanExporter {
  const e = exporter as Partial<ColumnarSpanExporter>;
  return typeof e.encodeColumns === "function" && typeof e.send === "function";
}
