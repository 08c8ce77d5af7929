import { ChannelBase } from "./export-channel.js";
import type { BatchOptions } from "./export-channel.js";
import type { ColumnarSpanExporter } from "./exported-span.js";
import { SpanColumns } from "./span-columns.js";

/** Bytes per span assumed before the first payload is measured (protobuf ~230, Zipkin ~360, OTLP JSON ~520). */
const FIRST_BYTES_PER_SPAN = 256;

/**
 * The queue of an exporter that serializes from the columns (native Zipkin and OTLP). Spans wait
 * as columns (about 70 bytes a span, where Zipkin JSON takes ~400) and are encoded into one
 * payload of at most maxExportBatchSize spans right before it is sent, one payload in flight.
 * The byte bound (maxQueuedBytes) counts the payload in flight and what is queued, at the
 * bytes per span the payloads so far measured: a slow receiver costs at most that much, and what
 * does not fit is dropped (and counted) before it is encoded; the export sink stops admitting
 * calls while it is full. (Encoding when a batch was built held every queued span as encoded
 * bytes: four 1 MiB payload buffers under the memory bench's slow receiver, where now two.)
 */
export class ColumnChannel extends ChannelBase<ColumnarSpanExporter> {
  private readonly _queue = new SpanColumns(0);
  /** Rows of _queue before this one were sent (moved out at the next take, not at every send). */
  private _head = 0;
  private readonly _maxBytes: number;
  private _flightBytes = 0;
  private _bytesPerSpan = FIRST_BYTES_PER_SPAN;
  private _measured = false;
  /** The last send finished before returning (an in-process transport): spans never pile up. */
  private _syncSender = false;

  constructor(exporter: ColumnarSpanExporter, options: Required<BatchOptions>) {
    super(exporter, options);
    this._maxBytes = options.maxQueuedBytes;
  }

  /**
   * Sends rows [0, batch.length) straight from the batch while nothing is in flight (all of them
   * to an in-process sender); the rest wait as columns as far as the room the export sink
   * admitted them against (the room before these sends), and what does not fit is dropped (and
   * counted) unencoded. The rows are in memory already: dropping them because the first payload
   * measured more bytes a span than assumed would lose spans and save nothing.
   */
  take(batch: SpanColumns): void {
    const count = batch.length;
    const admitted = this.room;
    let from = 0;
    while (from < count && this._inFlight === null && this.queued === 0) {
      const n = Math.min(count - from, this._options.maxExportBatchSize);
      this._send(batch, from, n);
      from += n;
    }
    if (from === count) return;
    if (this._head > 0) {
      this._queue.dropFront(this._head);
      this._head = 0;
    }
    const fit = Math.min(count - from, Math.max(0, admitted - from));
    this._queue.appendRows(batch, from, from + fit);
    if (fit < count - from) this._drop(count - from - fit, "queue full");
  }

  /** Encodes and sends the oldest queued spans if nothing is in flight; the next payload follows when it settles. */
  pump(): void {
    while (this._inFlight === null && this.queued > 0) {
      const head = this._head;
      const n = Math.min(this.queued, this._options.maxExportBatchSize);
      this._head = head + n; // consumed even if encoding fails
      this._send(this._queue, head, n);
      if (this._head === this._queue.length) {
        this._queue.reset();
        this._head = 0;
      }
    }
  }

  /** One payload of rows [from, from + n) of `columns`, encoded now and sent. */
  private _send(columns: SpanColumns, from: number, n: number): void {
    let payload: Uint8Array;
    try {
      payload = this._exporter.encodeColumns(columns, from, from + n);
    } catch (error) {
      this._failed(n, error);
      return;
    }
    // Measured on payloads of some size (a short one carries the envelope for few spans).
    if (n >= 16 || !this._measured) this._bytesPerSpan = Math.max(1, payload.byteLength / n);
    this._measured = true;
    this._flightBytes = payload.byteLength;
    this._run(n, () => this._exporter.send(payload, n), () => this.queued > 0);
    this._syncSender = this._inFlight === null;
    if (this._syncSender) this._flightBytes = 0;
  }

  get queued(): number {
    return this._queue.length - this._head;
  }

  /** Encoded bytes in flight, and the queued spans at the measured bytes per span. */
  get bytesHeld(): number {
    return this._flightBytes + Math.round(this.queued * this._bytesPerSpan);
  }

  get room(): number {
    if (this._syncSender) return this._spanRoom;
    const held = this.bytesHeld;
    const bytesLeft = this._maxBytes - held;
    if (bytesLeft <= 0) return 0;
    // At least one span when nothing is held, so a bound below one span still lets spans through.
    return Math.min(this._spanRoom, Math.max(held === 0 ? 1 : 0, Math.floor(bytesLeft / this._bytesPerSpan)));
  }

  private get _spanRoom(): number {
    return Math.max(0, this._options.maxQueueSize - this.queued);
  }

  protected override _landed(): void {
    this._flightBytes = 0;
  }

  protected _clear(): void {
    this._queue.reset();
    this._head = 0;
  }
}
