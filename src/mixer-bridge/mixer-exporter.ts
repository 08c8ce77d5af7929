import type { Dispatcher, Reporter } from "../mixer/dispatcher/index.js";
import { Variety } from "../mixer/template/types.js";
import type { ColumnarSpanExporter, ExportedSpan } from "../trace/export/exported-span.js";
import { SpanColumns } from "../trace/export/span-columns.js";
import { SpanBag, type SpanBagEnv } from "./span-bag.js";

const NO_ROWS = new SpanColumns(1);

/** Counters of the bridge (besides the pipeline's exported/dropped in `getExportStats()`). */
export interface MixerBridgeStats {
  /** Spans routed through the dispatcher's rules. */
  spans: number;
  /** Spans skipped at once because no Report rule exists. */
  skipped: number;
  /** Instances that failed to build (e.g. an expression read an absent attribute). */
  buildErrors: number;
  /** Calls whose function was folded into `function="__overflow__"`. */
  overflowed: number;
  /** Distinct functions with a series of their own. */
  functions: number;
}

/**
 * The `mixer` exporter: finished calls, read straight from the export batch's columns, are
 * reported to the embedded dispatcher. `encodeColumns` (off the hot path, when a batch is
 * built) routes each row through the rules into a Reporter of its own, with a bag that reads
 * the row on demand (see SpanBag); `send` flushes that Reporter: one handler call per
 * destination, each bounded by the dispatcher's `callTimeoutMs`. The export pipeline keeps one
 * send in flight and bounds what waits, so an adapter that hangs costs dropped spans (counted
 * in `getExportStats()`), never the program's time. A batch that matched nothing costs no
 * handler call; with no Report rule at all a batch is skipped without reading a row.
 */
export class MixerSpanExporter implements ColumnarSpanExporter {
  readonly name = "mixer";
  readonly dispatcher: Dispatcher;
  private readonly _env: SpanBagEnv;
  private readonly _bag: SpanBag;
  private readonly _ownsDispatcher: boolean;
  private readonly _stats = { spans: 0, skipped: 0, buildErrors: 0 };
  /** The Reporter of each encoded payload, until it is sent. */
  private readonly _pending = new WeakMap<Uint8Array, Reporter>();
  /** A payload the pipeline gave up on (deadline passed) is collected: its Reporter is released then. */
  private readonly _release = new FinalizationRegistry<Reporter>((r) => r.done());
  private _closed = false;

  constructor(dispatcher: Dispatcher, env: SpanBagEnv, ownsDispatcher = true) {
    this.dispatcher = dispatcher;
    this._env = env;
    this._bag = new SpanBag(NO_ROWS, env);
    this._ownsDispatcher = ownsDispatcher;
  }

  get stats(): MixerBridgeStats {
    return { ...this._stats, overflowed: this._env.names.overflowed, functions: this._env.names.distinct };
  }

  encodeColumns(batch: SpanColumns, from: number, to: number): Uint8Array {
    const payload = new Uint8Array(0);
    if (this._closed || this.dispatcher.routingTable.isEmpty(Variety.REPORT)) {
      this._stats.skipped += to - from;
      return payload;
    }
    const reporter = this.dispatcher.getReporter();
    const bag = this._bag;
    let buildErrors = 0;
    for (let i = from; i < to; i++) buildErrors += reporter.report(bag.at(batch, i)).length;
    bag.at(NO_ROWS, 0); // let go of the batch
    this._stats.spans += to - from;
    this._stats.buildErrors += buildErrors;
    if (reporter.pending === 0) {
      reporter.done();
      return payload;
    }
    this._pending.set(payload, reporter);
    this._release.register(payload, reporter, payload);
    return payload;
  }

  send(payload: Uint8Array): void | Promise<void> {
    const reporter = this._pending.get(payload);
    if (reporter === undefined) return;
    this._pending.delete(payload);
    this._release.unregister(payload);
    return reporter.flush().finally(() => reporter.done());
  }

  /** The export pipeline always hands this exporter columns; span objects are refused (counted as dropped). */
  export(spans: readonly ExportedSpan[]): void | Promise<void> {
    if (spans.length === 0) return;
    throw new Error("the mixer exporter reads the export columns (encodeColumns); span objects are not supported");
  }

  /** Closes the dispatcher (and its handlers: the /metrics endpoint, log files) when the bridge created it. */
  async shutdown(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    if (this._ownsDispatcher) await this.dispatcher.close();
  }
}
