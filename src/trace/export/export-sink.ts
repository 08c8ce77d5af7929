import { performance } from "node:perf_hooks";
import { KEEP, type Frame } from "../frame.js";
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
  /** Copies what it needs (frames the export waits on are marked KEEP): see Sink.releasesFrames. */
  readonly releasesFrames = true;
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
  private _exiting = false;
  private _ready: Promise<unknown> | null = null;
  /** Some exporter is a local file writer: batches go out as they fill and nothing is dropped here. */
  private _writeThrough = false;
  /**
   * Calls admitted into the columns before new ones are dropped: maxQueueSize, or less while the
   * exporters' queues are full (a slow receiver), so waiting spans are held once, not twice.
   */
  private _admit: number;
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
    this._admit = options.maxQueueSize;
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
    this._writeThrough = exporters.some((e) => e.writesThrough === true);
    for (const channel of this._channels) channel.onSettled = this._onSettled;
    this._refreshAdmit();
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
    if (columns.length + this._waiting.length >= this._admit && !this._writeThrough) {
      this._dropFrame();
      return;
    }
    const minMs = getFilters().minDurationMs ?? 0;
    if (minMs > 0) {
      if (!isExported(frame, minMs)) return;
      if (!tryAppend(columns, frame, minMs, frame.end)) this._wait(frame);
    } else {
      tryAppend(columns, frame, 0, 0);
    }
    if (columns.length >= this._options.maxExportBatchSize && this._writeThrough) this.process();
    else if (this._timer === null) this._schedule(this._options.scheduledDelayMillis);
    else if (columns.length >= this._options.maxExportBatchSize && !this._soon) this._schedule(0);
  }

  /**
   * Its parent span is not decided yet: it and its ancestors are read again later, so none may
   * be reused. (A synchronous ancestor is always decided by then, since it has run at least as
   * long as this call: this guards the async and hidden cases, and any future rule.)
   */
  private _wait(frame: Frame): void {
    for (let f: Frame | null = frame; f !== null; f = f.parent) f.flags |= KEEP;
    this._waiting.push(frame);
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
      this._refreshAdmit();
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

  /**
   * Exports everything queued and flushes the exporters, within `timeoutMs` (default: the export
   * timeout) in all: what is still queued then is dropped and counted. A ref'd timer keeps the
   * process alive meanwhile (export sockets are unref'd), so `await flush()` settles even when
   * nothing else is left to run. Never rejects.
   */
  async flush(timeoutMs = this._options.exportTimeoutMillis): Promise<void> {
    await this._within(timeoutMs, "flush timed out", async () => {
      if (this._ready !== null) await this._ready;
      this.process();
      await Promise.all((this._channels ?? []).map((c) => c.drain()));
      await Promise.all((this._channels ?? []).map((c) => runSuppressed(() => c.exporter.flush?.())));
    });
  }

  /**
   * Exports everything (open ancestors count as exported), then shuts the exporters down, within
   * the export timeout in all (as flush). Idempotent; never rejects.
   */
  async shutdown(timeoutMs = this._options.exportTimeoutMillis): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    process.removeListener("beforeExit", this._onBeforeExit);
    process.removeListener("exit", this._onExit);
    await this._within(timeoutMs, "shutdown timed out", async () => {
      if (this._ready !== null) await this._ready;
      this.process(true);
      await Promise.all((this._channels ?? []).map((c) => c.drain()));
      await Promise.all((this._channels ?? []).map((c) => runSuppressed(() => c.exporter.shutdown?.() ?? c.exporter.flush?.())));
    });
  }

  /** The time the natural end of the program (or a signal) may wait for the exporters. */
  get exitTimeoutMs(): number {
    return this._options.exitTimeoutMillis;
  }

  /** Runs `work` for at most `ms`; past that, what is still queued is dropped and counted. */
  private async _within(ms: number, why: string, work: () => Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    try {
      const done = await Promise.race([work().then(() => true), deadline]);
      if (!done) for (const channel of this._channels ?? []) channel.abandon(why);
    } catch (error) {
      internalError("export flush", error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Counters per exporter. */
  stats(): ExportStats[] {
    return (this._channels ?? []).map((c) => ({ ...c.stats, dropped: c.stats.dropped + this.droppedFrames }));
  }

  /**
   * The event loop is empty: send what is queued, within exitTimeoutMillis in all however many
   * batches remain (flush's ref'd timer keeps the process alive that long, at most).
   */
  private _flushAtExit(): void {
    const pending = this._columns.length > 0 || this._waiting.length > 0 || this._channels?.some((c) => c.busy);
    if (!pending || this._exiting) return;
    this._exiting = true;
    void this.flush(this._options.exitTimeoutMillis).finally(() => (this._exiting = false));
  }

  private readonly _onSettled = (): void => this._refreshAdmit();

  /** Admits as many calls as the roomiest exporter queue takes (at most maxQueueSize). */
  private _refreshAdmit(): void {
    let room = this._channels === null || this._channels.length === 0 ? Infinity : 0;
    for (const channel of this._channels ?? []) room = Math.max(room, channel.room);
    this._admit = Math.min(this._options.maxQueueSize, room);
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
