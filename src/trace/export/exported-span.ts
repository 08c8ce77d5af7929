import type { Frame } from "../frame.js";

/**
 * A finished call as exporters receive it: plain data built from a Frame at export time (never
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
}

/** Receives batches of finished spans. Off the hot path; may be slow; failures are counted. */
export interface SpanExporter {
  /** A short name for diagnostics and statistics ("zipkin", "chrome", ...). */
  readonly name: string;
  /** Exports one batch; a rejected promise or a throw counts the batch as dropped. */
  export(spans: readonly ExportedSpan[]): void | Promise<void>;
  /** Writes out what the exporter itself buffers. */
  flush?(): void | Promise<void>;
  /** Flushes and releases resources. */
  shutdown?(): void | Promise<void>;
}

/** Builds the record of a closed frame with the given ids. */
export function toExportedSpan(frame: Frame, traceId: string, spanId: string, parentSpanId: string | undefined): ExportedSpan {
  return {
    traceId,
    spanId,
    parentSpanId,
    name: frame.name,
    file: frame.file,
    line: frame.line,
    flowId: frame.flow.id,
    depth: frame.depth,
    start: frame.start,
    end: frame.end,
    failed: frame.failed,
    error: frame.error,
    async: frame.async,
  };
}
