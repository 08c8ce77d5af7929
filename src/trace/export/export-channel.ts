import { reportOnce } from "../diag.js";
import type { ExportedSpan, SpanExporter } from "./exported-span.js";
import { runSuppressed } from "./suppress.js";

/** Batching limits; the names and defaults follow OpenTelemetry's BatchSpanProcessor. */
export interface BatchOptions {
  /** Spans held per exporter before new ones are dropped (OTEL_BSP_MAX_QUEUE_SIZE, 65,536). File exporters never drop. */
  maxQueueSize?: number;
  /** Spans per export call (OTEL_BSP_MAX_EXPORT_BATCH_SIZE, 2,048). */
  maxExportBatchSize?: number;
  /** Delay between two scheduled exports (OTEL_BSP_SCHEDULE_DELAY, 1000 ms). */
  scheduledDelayMillis?: number;
  /**
   * An export that takes longer is abandoned and its spans counted as dropped; `flush()` and
   * `shutdown()` settle within it in all (OTEL_BSP_EXPORT_TIMEOUT, 30000 ms).
   */
  exportTimeoutMillis?: number;
  /**
   * At the natural end of the program, and on SIGINT/SIGTERM/SIGHUP, what is queued is sent
   * within this long in all, then dropped and counted (FUNCTRACE_EXIT_TIMEOUT_MS, 2000 ms).
   */
  exitTimeoutMillis?: number;
  /**
   * Encoded bytes a native exporter (Zipkin, OTLP) holds: the payload in flight, and the spans
   * queued behind it counted at the bytes a span took in the payloads so far (they wait as
   * columns and are encoded when sent; 256 bytes a span before the first payload). Calls beyond
   * it are not admitted, and are counted; what was admitted is kept.
   * Bounds memory under a slow receiver (FUNCTRACE_EXPORT_MAX_BYTES, 2 MiB: about 5,800 Zipkin
   * or 9,000 OTLP protobuf spans).
   */
  maxQueuedBytes?: number;
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
 * What every exporter queue shares: counters, one export in flight, a time limit on it, and
 * drops reported once. Subclasses hold the queue (span objects, or encoded payloads).
 */
export abstract class ChannelBase<E extends SpanExporter = SpanExporter> {
  readonly stats: ExportStats;
  protected readonly _exporter: E;
  protected readonly _options: Required<BatchOptions>;
  protected _inFlight: Promise<void> | null = null;
  /** Called after an export settles (the queue has room again); set by the export sink. Must not throw. */
  onSettled: (() => void) | null = null;
  /** Spans of the export in flight, and whether they were already counted as dropped (abandon). */
  private _flightCount = 0;
  private _flightAbandoned = false;

  constructor(exporter: E, options: Required<BatchOptions>) {
    this._exporter = exporter;
    this._options = options;
    this.stats = { exporter: exporter.name, exported: 0, dropped: 0, failedExports: 0 };
  }

  get exporter(): E {
    return this._exporter;
  }

  /** Number of spans waiting. */
  abstract get queued(): number;

  /** How many more spans this queue takes now (the export sink admits no more calls than that). */
  abstract get room(): number;

  /** True while spans wait or an export is in flight that was not given up on (abandon). */
  get busy(): boolean {
    return (this._inFlight !== null && !this._flightAbandoned) || this.queued > 0;
  }
  /** Starts exporting one batch if none is in flight. */
  abstract pump(): void;

  /** Exports everything queued, batch after batch. Never rejects (bound it with a deadline: see ExportSink). */
  async drain(): Promise<void> {
    for (let rounds = 0; rounds < 100_000; rounds++) {
      if (this._inFlight !== null) await this._inFlight;
      else if (this.queued > 0) this.pump();
      else break;
    }
  }

  /** Gives up on what is still queued or in flight (a deadline passed): counted as dropped, once. */
  abandon(why: string): void {
    let count = this.queued;
    this._clear();
    if (this._inFlight !== null && !this._flightAbandoned) {
      this._flightAbandoned = true;
      this.stats.failedExports++;
      count += this._flightCount;
    }
    if (count > 0) this._drop(count, why);
  }

  /** Empties the queue. */
  protected abstract _clear(): void;

  /** The export in flight settled (subclasses release what it held). */
  protected _landed(): void {}

  /** Runs one export of `count` spans; a synchronous one is settled before this returns. */
  protected _run(count: number, exportFn: () => void | Promise<void>, next: () => boolean): void {
    let result: void | Promise<void>;
    try {
      result = runSuppressed(exportFn);
    } catch (error) {
      this._failed(count, error);
      this.onSettled?.();
      return;
    }
    if (!(result instanceof Promise)) {
      this.stats.exported += count;
      this.onSettled?.();
      return;
    }
    this._flightCount = count;
    this._flightAbandoned = false;
    this._inFlight = this._settle(result, count).finally(() => {
      this._inFlight = null;
      this._flightAbandoned = false;
      this._landed();
      if (next()) this.pump();
      this.onSettled?.();
    });
  }

  private async _settle(result: Promise<void>, count: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`export timed out after ${this._options.exportTimeoutMillis} ms`)), this._options.exportTimeoutMillis);
      timer.unref();
    });
    try {
      await Promise.race([result, timeout]);
      if (!this._flightAbandoned) this.stats.exported += count;
    } catch (error) {
      if (!this._flightAbandoned) this._failed(count, error);
    } finally {
      clearTimeout(timer);
    }
  }

  protected _failed(count: number, error: unknown): void {
    this.stats.failedExports++;
    this._drop(count, "export failed", error);
  }

  protected _drop(count: number, why: string, error?: unknown): void {
    this.stats.dropped += count;
    reportOnce(
      `export-drop:${this._exporter.name}:${why}`,
      `exporter ${this._exporter.name}: ${why}, spans are being dropped (counted in getExportStats(); reported once)`,
      error,
      "warn",
    );
  }
}

/**
 * One exporter's bounded queue of span objects. At most one export is in flight; while it is,
 * new spans queue up to maxQueueSize and the rest are dropped and counted (reported once). An
 * exporter that throws, rejects or hangs costs the program nothing but those drops.
 */
export class ExportChannel extends ChannelBase {
  private _queue: ExportedSpan[] = [];

  /** Queues spans, dropping what does not fit; starts an export when a batch is full. A file exporter writes them now. */
  offer(spans: readonly ExportedSpan[]): void {
    if (this._exporter.writesThrough === true && this._inFlight === null) {
      for (let from = 0; from < spans.length; from += this._options.maxExportBatchSize) {
        const batch = spans.slice(from, from + this._options.maxExportBatchSize);
        this._run(batch.length, () => this._exporter.export(batch), () => false);
      }
      return;
    }
    const room = this._options.maxQueueSize - this._queue.length;
    if (spans.length > room) this._drop(spans.length - Math.max(room, 0), "queue full");
    for (let i = 0; i < spans.length && i < room; i++) this._queue.push(spans[i]);
    if (this._queue.length >= this._options.maxExportBatchSize) this.pump();
  }

  /** Starts exporting one batch if none is in flight. Synchronous exporters finish before it returns. */
  pump(): void {
    if (this._inFlight !== null || this._queue.length === 0) return;
    const batch = this._queue.splice(0, this._options.maxExportBatchSize);
    this._run(batch.length, () => this._exporter.export(batch), () => this._queue.length >= this._options.maxExportBatchSize);
  }

  get queued(): number {
    return this._queue.length;
  }

  get room(): number {
    return this._exporter.writesThrough === true ? Infinity : Math.max(0, this._options.maxQueueSize - this._queue.length);
  }

  protected _clear(): void {
    this._queue.length = 0;
  }
}
