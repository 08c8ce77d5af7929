import { ChannelBase } from "./export-channel.js";
import type { ColumnarSpanExporter } from "./exported-span.js";
import type { SpanColumns } from "./span-columns.js";

/**
 * The queue of an exporter that serializes from the columns (the native Zipkin encoder): a
 * batch is encoded as soon as it is built, in payloads of at most maxExportBatchSize spans, and
 * the payloads wait here (bounded by maxQueueSize spans) to be sent one at a time.
 */
export class ColumnChannel extends ChannelBase<ColumnarSpanExporter> {
  private readonly _payloads: Uint8Array[] = [];
  private readonly _counts: number[] = [];
  private _queued = 0;

  /** Encodes rows [0, batch.length) into payloads, dropping (uncoded) what does not fit. */
  take(batch: SpanColumns): void {
    const room = this._options.maxQueueSize - this._queued;
    let count = batch.length;
    if (count > room) {
      this._drop(count - Math.max(room, 0), "queue full");
      count = Math.max(room, 0);
    }
    const size = this._options.maxExportBatchSize;
    for (let from = 0; from < count; from += size) {
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
    }
  }

  /** Sends the oldest payload if nothing is in flight; the next one follows when it settles. */
  pump(): void {
    if (this._inFlight !== null || this._payloads.length === 0) return;
    const payload = this._payloads.shift()!;
    const count = this._counts.shift()!;
    this._queued -= count;
    this._run(count, () => this._exporter.send(payload, count), () => this._payloads.length > 0);
  }

  get queued(): number {
    return this._queued;
  }

  protected _clear(): void {
    this._payloads.length = 0;
    this._counts.length = 0;
    this._queued = 0;
  }
}
