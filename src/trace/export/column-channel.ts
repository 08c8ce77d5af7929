import { ChannelBase } from "./export-channel.js";
import type { BatchOptions } from "./export-channel.js";
import type { ColumnarSpanExporter } from "./exported-span.js";
import type { SpanColumns } from "./span-columns.js";

/** Bytes per span assumed before the first payload is measured (protobuf ~230, Zipkin ~360, OTLP JSON ~520). */
const FIRST_BYTES_PER_SPAN = 256;

/**
 * The queue of an exporter that serializes from the columns (native Zipkin and OTLP): a batch
 * is encoded as soon as it is built, in payloads of at most maxExportBatchSize spans, and the
 * payloads wait here (bounded by maxQueueSize spans and by maxQueuedBytes) to be sent one at a time.
 * The byte bound counts what is queued and in flight together, so a slow receiver costs at most
 * that much memory: what does not fit is dropped (and counted) before it is encoded, and the
 * export sink stops admitting calls while it is full.
 */
export class ColumnChannel extends ChannelBase<ColumnarSpanExporter> {
  private readonly _payloads: Uint8Array[] = [];
  private readonly _counts: number[] = [];
  private readonly _maxBytes: number;
  private _queued = 0;
  private _queuedBytes = 0;
  private _flightBytes = 0;
  private _bytesPerSpan = FIRST_BYTES_PER_SPAN;
  /** The last send finished before returning (an in-process transport): payloads never pile up. */
  private _syncSender = false;

  constructor(exporter: ColumnarSpanExporter, options: Required<BatchOptions>) {
    super(exporter, options);
    this._maxBytes = options.maxQueuedBytes;
  }

  /** Encodes rows [0, batch.length) into payloads, dropping (unencoded) what does not fit. */
  take(batch: SpanColumns): void {
    const room = this._options.maxQueueSize - this._queued;
    let count = batch.length;
    if (count > room) {
      this._drop(count - Math.max(room, 0), "queue full");
      count = Math.max(room, 0);
    }
    const size = this._options.maxExportBatchSize;
    let bytes = 0;
    let spans = 0;
    for (let from = 0; from < count; from += size) {
      if (this.bytesHeld >= this._maxBytes) {
        this._drop(count - from, "queue full");
        break;
      }
      const to = Math.min(count, from + size);
      let payload: Uint8Array;
      try {
        payload = this._exporter.encodeColumns(batch, from, to);
      } catch (error) {
        this._failed(to - from, error);
        continue;
      }
      this._payloads.push(payload);
      this._counts.push(to - from);
      this._queued += to - from;
      this._queuedBytes += payload.byteLength;
      bytes += payload.byteLength;
      spans += to - from;
      this.pump(); // sent before the next is encoded when nothing is in flight
    }
    // Over the whole batch: a short last payload carries the envelope for few spans.
    if (spans > 0) this._bytesPerSpan = Math.max(1, bytes / spans);
  }

  /** Sends the oldest payload if nothing is in flight; the next one follows when it settles. */
  pump(): void {
    if (this._inFlight !== null || this._payloads.length === 0) return;
    const payload = this._payloads.shift()!;
    const count = this._counts.shift()!;
    this._queued -= count;
    this._queuedBytes -= payload.byteLength;
    this._flightBytes = payload.byteLength;
    this._run(count, () => this._exporter.send(payload, count), () => this._payloads.length > 0);
    this._syncSender = this._inFlight === null;
    if (this._syncSender) this._flightBytes = 0;
  }

  get queued(): number {
    return this._queued;
  }

  /** Encoded bytes queued and in flight. */
  get bytesHeld(): number {
    return this._queuedBytes + this._flightBytes;
  }

  get room(): number {
    if (this._syncSender) return Math.max(0, this._options.maxQueueSize - this._queued);
    const bytesLeft = this._maxBytes - this.bytesHeld;
    if (bytesLeft <= 0) return 0;
    return Math.max(0, Math.min(this._options.maxQueueSize - this._queued, Math.floor(bytesLeft / this._bytesPerSpan)));
  }

  protected override _landed(): void {
    this._flightBytes = 0;
  }

  protected _clear(): void {
    this._payloads.length = 0;
    this._counts.length = 0;
    this._queued = 0;
    this._queuedBytes = 0;
  }
}
