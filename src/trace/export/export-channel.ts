import { reportOnce } from "../diag.js";
import type { ExportedSpan, SpanExporter } from "./exported-span.js";
import { runSuppressed } from "./suppress.js";

/** Batching limits; the names and defaults follow OpenTelemetry's BatchSpanProcessor. */
export interface BatchOptions {
  /** Spans held per exporter before new ones are dropped (OTEL_BSP_MAX_QUEUE_SIZE, 2048). */
  maxQueueSize?: number;
  /** Spans per export call (OTEL_BSP_MAX_EXPORT_BATCH_SIZE, 512). */
  maxExportBatchSize?: number;
  /** Delay between two scheduled exports (OTEL_BSP_SCHEDULE_DELAY, 5000 ms). */
  scheduledDelayMillis?: number;
  /** An export that takes longer is abandoned and its spans counted as dropped (OTEL_BSP_EXPORT_TIMEOUT, 30000 ms). */
  exportTimeoutMillis?: number;
}

/** Counters of one exporter. */
export interface ExportStats {
  readonly exporter: string;
  exported: number;
  /** Spans lost: queue full, export failed, or export timed out. */
  dropped: number;
  failedExports: number;
}

/**
 * One exporter's bounded queue. At most one export is in flight; while it is, new spans queue
 * up to maxQueueSize and the rest are dropped and counted (reported once). An exporter that
 * throws, rejects or hangs costs the program nothing but those drops.
 */
export class ExportChannel {
  readonly stats: ExportStats;
  private readonly _exporter: SpanExporter;
  private readonly _options: Required<BatchOptions>;
  private _queue: ExportedSpan[] = [];
  private _inFlight: Promise<void> | null = null;

  constructor(exporter: SpanExporter, options: Required<BatchOptions>) {
    this._exporter = exporter;
    this._options = options;
    this.stats = { exporter: exporter.name, exported: 0, dropped: 0, failedExports: 0 };
  }

  get exporter(): SpanExporter {
    return this._exporter;
  }

  /** Queues spans, dropping what does not fit; starts an export when a batch is full. */
  offer(spans: readonly ExportedSpan[]): void {
    const room = this._options.maxQueueSize - this._queue.length;
    if (spans.length > room) this._drop(spans.length - Math.max(room, 0), "queue full");
    for (let i = 0; i < spans.length && i < room; i++) this._queue.push(spans[i]);
    if (this._queue.length >= this._options.maxExportBatchSize) this.pump();
  }

  /** Starts exporting one batch if none is in flight. Synchronous exporters finish before it returns. */
  pump(): void {
    if (this._inFlight !== null || this._queue.length === 0) return;
    const batch = this._queue.splice(0, this._options.maxExportBatchSize);
    let result: void | Promise<void>;
    try {
      result = runSuppressed(() => this._exporter.export(batch));
    } catch (error) {
      this._failed(batch.length, error);
      return;
    }
    if (!(result instanceof Promise)) {
      this.stats.exported += batch.length;
      return;
    }
    this._inFlight = this._settle(result, batch.length).finally(() => {
      this._inFlight = null;
      if (this._queue.length >= this._options.maxExportBatchSize) this.pump();
    });
  }

  /** Exports everything queued, batch after batch. Never rejects. */
  async drain(): Promise<void> {
    for (let rounds = 0; rounds < 10_000; rounds++) {
      if (this._inFlight !== null) await this._inFlight;
      else if (this._queue.length > 0) this.pump();
      else break;
    }
  }

  /** Number of spans waiting. */
  get queued(): number {
    return this._queue.length;
  }

  private async _settle(result: Promise<void>, count: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`export timed out after ${this._options.exportTimeoutMillis} ms`)), this._options.exportTimeoutMillis);
      timer.unref();
    });
    try {
      await Promise.race([result, timeout]);
      this.stats.exported += count;
    } catch (error) {
      this._failed(count, error);
    } finally {
      clearTimeout(timer);
    }
  }

  private _failed(count: number, error: unknown): void {
    this.stats.failedExports++;
    this._drop(count, "export failed", error);
  }

  private _drop(count: number, why: string, error?: unknown): void {
    this.stats.dropped += count;
    reportOnce(
      `export-drop:${this._exporter.name}:${why}`,
      `exporter ${this._exporter.name}: ${why}, spans are being dropped (counted in getExportStats(); reported once)`,
      error,
      "warn",
    );
  }
}
