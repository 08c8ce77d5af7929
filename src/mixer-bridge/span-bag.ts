import { Duration, type Bag, type Value } from "../mixer/attribute/index.js";
import type { SpanColumns } from "../trace/export/span-columns.js";
import type { BoundedNames } from "./bounded-names.js";
import { moduleOf } from "./span-values.js";
import { SPAN_ATTRIBUTES, SPAN_VOCABULARY, type SpanRow } from "./vocabulary.js";

/** What a bag needs besides the row: the service, the namespace rule and the bounded names. */
export interface SpanBagEnv {
  readonly serviceName: string;
  /** Fixed `destination.namespace`; undefined: the module of `span.name`. */
  readonly namespace: string | undefined;
  readonly names: BoundedNames;
}

/**
 * A Mixer bag over one row of the export batch, moved from row to row (one object per batch,
 * no copy per span). `get(name)` computes the value from the columns when asked: rules that
 * read `span.name` and `span.duration` never pay for ids, timestamps or span attributes. The
 * values read more than once per row (duration, bounded name) are computed once per row.
 * Valid only while the batch is: the Reporter builds instances synchronously, so nothing
 * keeps the bag.
 */
export class SpanBag implements Bag, SpanRow {
  cols: SpanColumns;
  row = 0;
  private readonly _env: SpanBagEnv;
  private _duration: Duration | undefined;
  private _bounded: string | undefined;

  constructor(cols: SpanColumns, env: SpanBagEnv) {
    this.cols = cols;
    this._env = env;
  }

  /** Moves to row `row` of `cols`. */
  at(cols: SpanColumns, row: number): this {
    this.cols = cols;
    this.row = row;
    this._duration = undefined;
    this._bounded = undefined;
    return this;
  }

  get(name: string): Value | undefined {
    // The attributes the default config reads on every row, without the map lookup and the
    // (megamorphic) getter call; same values as their SPAN_VOCABULARY getters (a test checks).
    const cols = this.cols;
    const row = this.row;
    switch (name) {
      case "span.bounded_name":
        return this.boundedName();
      case "span.duration":
        return this.duration();
      case "span.error":
        return cols.failed(row);
      case "context.protocol":
        return cols.request(row) !== null ? "http" : "function";
      case "span.trace_id":
        return cols.traceId(row);
      case "span.duration_ms":
        return cols.ends[row] - cols.starts[row];
      case "span.name":
        return cols.names[row];
    }
    const attr = SPAN_ATTRIBUTES.get(name);
    return attr === undefined ? undefined : attr.get(this);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Every vocabulary attribute present on this row (computes them all: diagnostics only). */
  names(): string[] {
    return SPAN_VOCABULARY.filter((a) => a.get(this) !== undefined).map((a) => a.name);
  }

  duration(): Duration {
    return (this._duration ??= Duration.fromNanos(Math.round((this.cols.ends[this.row] - this.cols.starts[this.row]) * 1e6)));
  }

  boundedName(): string {
    return (this._bounded ??= this._env.names.bound(this.cols.names[this.row]));
  }

  serviceName(): string {
    return this._env.serviceName;
  }

  namespace(): string {
    return this._env.namespace ?? moduleOf(this.cols.names[this.row]);
  }
}
