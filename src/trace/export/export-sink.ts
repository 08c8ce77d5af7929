import type { Frame } from "../frame.js";
import type { Sink } from "../sink.js";
import { getFilters } from "../filters.js";
import { internalError, reportOnce } from "../diag.js";
import { buildSpans } from "./span-builder.js";
import { ExportChannel, type BatchOptions, type ExportStats } from "./export-channel.js";
import type { SpanExporter } from "./exported-span.js";
import { runSuppressed } from "./suppress.js";

/**
 * The sink behind every exporter. On the hot path it only appends the finished frame to a
 * bounded array; spans are built in batches on an unref'd timer (or when a batch is full),
 * then handed to one ExportChannel per exporter. Exporters may arrive later (OpenTelemetry
 * modules load asynchronously under ESM): until then frames wait in the bounded queue.
 */
export class ExportSink implements Sink {
  readonly needsClock = true;
  /** Frames dropped before span building because the queue was full. */
  droppedFrames = 0;
  private readonly _options: Required<BatchOptions>;
  private _frames: Frame[] = [];
  private _waiting: Frame[] = [];
  private _channels: ExportChannel[] | null = null;
  private _timer: NodeJS.Timeout | null = null;
  /** True when the pending timer is the immediate one (a full batch), not the scheduled delay. */
  private _soon = false;
  private _closed = false;
  private _ready: Promise<unknown> | null = null;
  private readonly _onBeforeExit = (): void => {
    if (this._frames.length > 0 || this._waiting.length > 0 || this._channels?.some((c) => c.queued > 0)) void this.flush();
  };

  private readonly _onExit = (): void => {
    try {
      this.process(true);
    } catch (error) {
      internalError("export at exit", error);
    }
  };

  constructor(options: Required<BatchOptions>) {
    this._options = options;
    // beforeExit: the loop is empty, asynchronous exporters can still send. exit: only
    // synchronous exporters (the Chrome file) can still write.
    process.on("beforeExit", this._onBeforeExit);
    process.on("exit", this._onExit);
  }

  /** Sets the exporters (once they are loaded); frames queued so far go to them. */
  setExporters(exporters: readonly SpanExporter[]): void {
    this._channels = exporters.map((e) => new ExportChannel(e, this._options));
    if (this._frames.length > 0) this._schedule(0);
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
    const frames = this._frames;
    if (frames.length >= this._options.maxQueueSize) {
      this._dropFrame();
      return;
    }
    frames.push(frame);
    if (this._timer === null) this._schedule(this._options.scheduledDelayMillis);
    else if (frames.length >= this._options.maxExportBatchSize && !this._soon) this._schedule(0);
  }

  /** Builds spans from what is queued and starts exporting them; synchronous exporters finish now. */
  process(final = false): void {
    if (this._channels === null) return;
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
      this._soon = false;
    }
    const frames = this._waiting.length === 0 ? this._frames : this._waiting.concat(this._frames);
    this._frames = [];
    const { spans, waiting } = buildSpans(frames, getFilters().minDurationMs ?? 0, performance.now(), final);
    this._waiting = waiting.length > this._options.maxQueueSize ? waiting.slice(-this._options.maxQueueSize) : waiting;
    if (waiting.length > this._waiting.length) this.droppedFrames += waiting.length - this._waiting.length;
    for (const channel of this._channels) {
      if (spans.length > 0) channel.offer(spans);
      channel.pump();
    }
    if (this._waiting.length > 0 && !this._closed) this._schedule(Math.max(1, getFilters().minDurationMs ?? 1));
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
