import type { Frame } from "../frame.js";
import type { Sink } from "../sink.js";
import { getFilters } from "../filters.js";
import { internalError, reportOnce } from "../diag.js";
import { isExported, tryAppend } from "./span-builder.js";
import { ExportChannel, type BatchOptions, type ExportStats } from "./export-channel.js";
import { ColumnChannel } from "./column-channel.js";
import { isColumnar, type ExportedSpan, type SpanExporter } from "./exported-span.js";
import { SpanColumns } from "./span-columns.js";
import { runSuppressed } from "./suppress.js";

type Channel = ExportChannel | ColumnChannel;

/**
 * The sink behind every exporter. On the hot path it copies the few fields a span needs into
 * columns (SpanColumns) and keeps no Frame alive, so records die young. Only a call whose parent
 * cannot be decided yet (minDurationMs > 0 and a young ancestor still running) waits as a Frame.
 * Batches are handed to the exporters on an unref'd timer (or when a batch is full): columnar
 * exporters (native Zipkin) encode straight from the columns, the others get ExportedSpans.
 * Exporters may arrive later (OpenTelemetry modules load asynchronously under ESM): until then
 * calls wait in the bounded columns.
 */
export class ExportSink implements Sink {
  readonly needsClock = true;
  /** Calls dropped before span building because the queue was full. */
  droppedFrames = 0;
  private readonly _options: Required<BatchOptions>;
  private _columns: SpanColumns;
  private _spare: SpanColumns;
  private _waiting: Frame[] = [];
  private _channels: Channel[] | null = null;
  private _timer: NodeJS.Timeout | null = null;
  /** True when the pending timer is the immediate one (a full batch), not the scheduled delay. */
  private _soon = false;
  private _closed = false;
  private _ready: Promise<unknown> | null = null;
  private readonly _onBeforeExit = (): void => this._flushAtExit();
  private readonly _onExit = (): void => {
    try {
      this.process(true);
    } catch (error) {
      internalError("export at exit", error);
    }
  };

  constructor(options: Required<BatchOptions>) {
    this._options = options;
    const capacity = Math.min(options.maxQueueSize, 4096);
    this._columns = new SpanColumns(capacity);
    this._spare = new SpanColumns(capacity);
    // beforeExit: the loop is empty, asynchronous exporters can still send. exit: only
    // synchronous exporters (the Chrome file) can still write.
    process.on("beforeExit", this._onBeforeExit);
    process.on("exit", this._onExit);
  }

  /** Sets the exporters (once they are loaded); calls queued so far go to them. */
  setExporters(exporters: readonly SpanExporter[]): void {
    this._channels = exporters.map((e) => (isColumnar(e) ? new ColumnChannel(e, this._options) : new ExportChannel(e, this._options)));
    if (this._columns.length > 0 || this._waiting.length > 0) this._schedule(0);
  }

  /** Exporters are being loaded: flush and shutdown wait for this first. */
  setPending(ready: Promise<unknown>): void {
    this._ready = ready.catch(() => undefined);
  }

  /** The exporters, once set. */
  get exporters(): SpanExporter[] {
    return this._channels?.map((c) => c.exporter) ?? [];
  }

  onExit(frame: Frame): void {
    const columns = this._columns;
    if (columns.length + this._waiting.length >= this._options.maxQueueSize) {
      this._dropFrame();
      return;
    }
    const minMs = getFilters().minDurationMs ?? 0;
    if (minMs > 0) {
      if (!isExported(frame, minMs)) return;
      if (!tryAppend(columns, frame, minMs, frame.end)) this._waiting.push(frame);
    } else {
      tryAppend(columns, frame, 0, 0);
    }
    if (this._timer === null) this._schedule(this._options.scheduledDelayMillis);
    else if (columns.length >= this._options.maxExportBatchSize && !this._soon) this._schedule(0);
  }

  /** Hands what is queued to the exporters and starts exporting; synchronous exporters finish now. */
  process(final = false): void {
    if (this._channels === null) return;
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
      this._soon = false;
    }
    const batch = this._columns;
    this._columns = this._spare;
    this._spare = batch;
    if (this._waiting.length > 0) this._settleWaiting(batch, final);
    try {
      let spans: ExportedSpan[] | null = null;
      for (const channel of this._channels) {
        if (batch.length > 0) {
          if (channel instanceof ColumnChannel) channel.take(batch);
          else channel.offer((spans ??= batch.toSpans()));
        }
        channel.pump();
      }
    } finally {
      batch.reset();
    }
    if (this._waiting.length > 0 && !this._closed) this._schedule(Math.max(1, getFilters().minDurationMs ?? 1));
  }

  /** Calls whose parent is decided now join the batch; the others wait again. */
  private _settleWaiting(batch: SpanColumns, final: boolean): void {
    const minMs = getFilters().minDurationMs ?? 0;
    const now = performance.now();
    const still: Frame[] = [];
    for (const frame of this._waiting) if (!tryAppend(batch, frame, minMs, now, final)) still.push(frame);
    this._waiting = still;
  }

  /** Exports everything queued and flushes the exporters. Never rejects. */
  async flush(): Promise<void> {
    try {
      if (this._ready !== null) await this._ready;
      this.process();
      await Promise.all((this._channels ?? []).map((c) => c.drain()));
      await Promise.all((this._channels ?? []).map((c) => runSuppressed(() => c.exporter.flush?.())));
    } catch (error) {
      internalError("export flush", error);
    }
  }

  /** Exports everything (open ancestors count as exported), then shuts the exporters down. Idempotent. */
  async shutdown(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    process.removeListener("beforeExit", this._onBeforeExit);
    process.removeListener("exit", this._onExit);
    try {
      if (this._ready !== null) await this._ready;
      this.process(true);
      await Promise.all((this._channels ?? []).map((c) => c.drain()));
      await Promise.all((this._channels ?? []).map((c) => runSuppressed(() => c.exporter.shutdown?.() ?? c.exporter.flush?.())));
    } catch (error) {
      internalError("export shutdown", error);
    }
  }

  /** Counters per exporter. */
  stats(): ExportStats[] {
    return (this._channels ?? []).map((c) => ({ ...c.stats, dropped: c.stats.dropped + this.droppedFrames }));
  }

  /**
   * The event loop is empty: send what is queued. Export sockets are unref'd, so a ref'd timer
   * keeps the process alive until the flush settles, at most exportTimeoutMillis.
   */
  private _flushAtExit(): void {
    const pending = this._columns.length > 0 || this._waiting.length > 0 || this._channels?.some((c) => c.queued > 0);
    if (!pending) return;
    const hold = setTimeout(() => undefined, this._options.exportTimeoutMillis);
    void this.flush().finally(() => clearTimeout(hold));
  }

  private _dropFrame(): void {
    this.droppedFrames++;
    reportOnce("export-drop:queue", "export queue full: spans are being dropped (counted in getExportStats(); reported once)", undefined, "warn");
  }

  private _schedule(delay: number): void {
    if (this._timer !== null) {
      if (delay > 0 || this._soon) return;
      clearTimeout(this._timer);
    }
    this._soon = delay === 0;
    // Scheduled outside the caller's context, so the timer does not belong to a traced flow.
    this._timer = runSuppressed(() => setTimeout(() => this._tick(), delay));
    this._timer.unref();
  }

  private _tick(): void {
    this._timer = null;
    this._soon = false;
    try {
      this.process();
    } catch (error) {
      internalError("export", error);
    }
  }
}
