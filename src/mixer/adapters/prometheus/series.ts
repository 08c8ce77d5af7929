/**
 * The handler's counters and histograms: series kept in plain fields and typed arrays, looked
 * up without building a key or a labels object per observation, and exposed through the
 * handler's prom-client Registry (which formats the text). The data handed to the Registry has
 * the shape prom-client's own Counter and Histogram hand it (same series order, same labels,
 * same exemplars), so the exposition is the one prom-client would print for the same
 * observations; what differs is the cost per observation: prom-client hashes the labels
 * object, validates it and stamps the exemplar's time on every call, this records a number.
 *
 * Exemplars: a slot per bucket (counter: one) holds the exemplar labels, value and time of the
 * most recent observation that carried some; exemplar objects are built when the exposition is.
 */
import type { Registry, RegistryContentType } from "prom-client";
import type { SeriesOwner } from "./expiry.js";

/** What the Registry reads of an exemplar. */
interface ExemplarOut {
  labelSet: Record<string, string>;
  value: number;
  timestamp: number;
}

/** Exemplar labels as recorded: the value of the only exemplar label, or the whole label set. */
export type ExemplarLabels = string | Record<string, string>;

/** One label-value tuple of a metric. */
export class Series {
  readonly labels: Record<string, string>;
  /** Counter value. */
  value = 0;
  /** Histogram: observations per bucket (not cumulative; the last slot is +Inf), sum and count. */
  readonly counts: Float64Array | undefined;
  sum = 0;
  count = 0;
  /** Exemplar slots (one per bucket incl. +Inf; counter: one), allocated on the first exemplar. */
  exLabels: (ExemplarLabels | undefined)[] | undefined;
  exValues: Float64Array | undefined;
  exTimes: Float64Array | undefined;
  /** The expiry policy's entry of this series (set by the handler). */
  expiry: { expiresAt: number } | undefined;

  constructor(labels: Record<string, string>, buckets: number) {
    this.labels = labels;
    this.counts = buckets > 0 ? new Float64Array(buckets + 1) : undefined;
  }

  /** Remembers the exemplar of the latest observation in `slot`. */
  exemplar(slot: number, labels: ExemplarLabels, value: number, timestamp: number, slots: number): void {
    if (this.exLabels === undefined) {
      this.exLabels = new Array<ExemplarLabels | undefined>(slots).fill(undefined);
      this.exValues = new Float64Array(slots);
      this.exTimes = new Float64Array(slots);
    }
    this.exLabels[slot] = labels;
    this.exValues![slot] = value;
    this.exTimes![slot] = timestamp;
  }
}

type Node = Map<string, Node | Series>;

/**
 * Series of one metric by label values (in `labelNames` order): nested maps, one level per
 * label, so a lookup hashes the values themselves (no key string per observation); an
 * insertion-ordered set gives the exposition order (prom-client's: first observation first).
 */
abstract class SeriesMetric implements SeriesOwner {
  /** Read and rewritten by the Registry (OpenMetrics strips a counter's `_total`). */
  name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly aggregator = "sum";
  abstract readonly type: "counter" | "histogram";
  protected readonly _order = new Set<Series>();
  private readonly _root: Node = new Map();
  private readonly _exemplarName: string | undefined;
  protected readonly _exemplars: boolean;

  constructor(name: string, help: string, labelNames: readonly string[], exemplarLabelNames: readonly string[], registry: Registry<RegistryContentType>) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    this._exemplarName = exemplarLabelNames.length === 1 ? exemplarLabelNames[0] : undefined;
    this._exemplars = exemplarLabelNames.length > 0;
    registry.registerMetric(this as never);
  }

  /** The series of these label values, or undefined. */
  find(values: readonly string[]): Series | undefined {
    const last = values.length - 1;
    if (last < 0) return this._order.values().next().value;
    let node = this._root;
    for (let i = 0; i < last; i++) {
      const next = node.get(values[i]);
      if (next === undefined) return undefined;
      node = next as Node;
    }
    return node.get(values[last]) as Series | undefined;
  }

  /** A new series for these label values (call after {@link find} returned undefined). */
  create(values: readonly string[]): Series {
    const labels: Record<string, string> = {};
    for (let i = 0; i < this.labelNames.length; i++) labels[this.labelNames[i]] = values[i];
    const s = this._newSeries(labels);
    const last = values.length - 1;
    if (last >= 0) {
      let node = this._root;
      for (let i = 0; i < last; i++) {
        let next = node.get(values[i]) as Node | undefined;
        if (next === undefined) node.set(values[i], (next = new Map()));
        node = next;
      }
      node.set(values[last], s);
    }
    this._order.add(s);
    return s;
  }

  /** Deletes the series of this label set (the expiry policy). */
  remove(labels: Record<string, string>): void {
    const values = this.labelNames.map((l) => labels[l]);
    const s = this.find(values);
    if (s === undefined) return;
    this._order.delete(s);
    if (values.length === 0) return;
    // Drop the leaf, then the levels it leaves empty.
    const path: Node[] = [this._root];
    for (let i = 0; i < values.length - 1; i++) path.push(path[i].get(values[i]) as Node);
    for (let i = values.length - 1; i >= 0; i--) {
      path[i].delete(values[i]);
      if (path[i].size > 0) break;
    }
  }

  /** prom-client's `reset()`: no series, except the one series of a metric without labels. */
  reset(): void {
    this._order.clear();
    this._root.clear();
    if (this.labelNames.length === 0) this.create([]);
  }

  protected abstract _newSeries(labels: Record<string, string>): Series;

  protected _exemplarOut(s: Series, slot: number): ExemplarOut | null {
    const l = s.exLabels?.[slot];
    if (l === undefined) return null;
    return { labelSet: typeof l === "string" ? { [this._exemplarName!]: l } : l, value: s.exValues![slot], timestamp: s.exTimes![slot] };
  }
}

/** A COUNTER: `inc` per observation. */
export class SeriesCounter extends SeriesMetric {
  readonly type = "counter";

  constructor(name: string, help: string, labelNames: readonly string[], exemplarLabelNames: readonly string[], registry: Registry<RegistryContentType>) {
    super(name, help, labelNames, exemplarLabelNames, registry);
    this.reset();
  }

  protected _newSeries(labels: Record<string, string>): Series {
    return new Series(labels, 0);
  }

  async get(): Promise<{ name: string; help: string; type: string; values: unknown[]; aggregator: string }> {
    const values: unknown[] = [];
    for (const s of this._order) {
      const ex = this._exemplarOut(s, 0);
      values.push(ex === null ? { value: s.value, labels: s.labels } : { value: s.value, labels: s.labels, exemplar: ex });
    }
    return { help: this.help, name: this.name, type: this.type, values, aggregator: this.aggregator };
  }
}

/** A DISTRIBUTION: prom-client's Histogram semantics (`value <= bound`, values past the last bound only in +Inf). */
export class SeriesHistogram extends SeriesMetric {
  readonly type = "histogram";
  readonly upperBounds: readonly number[];

  constructor(name: string, help: string, labelNames: readonly string[], exemplarLabelNames: readonly string[], buckets: readonly number[], registry: Registry<RegistryContentType>) {
    super(name, help, labelNames, exemplarLabelNames, registry);
    this.upperBounds = buckets;
    this.reset();
  }

  /** The bucket slot of `value`: the first bound `>= value`, else the +Inf slot. */
  slot(value: number): number {
    const b = this.upperBounds;
    let i = 0;
    while (i < b.length && !(value <= b[i])) i++;
    return i;
  }

  protected _newSeries(labels: Record<string, string>): Series {
    return new Series(labels, this.upperBounds.length);
  }

  async getForPromString(): Promise<{ name: string; help: string; type: string; values: unknown[]; aggregator: string }> {
    const values: unknown[] = [];
    const bucket = `${this.name}_bucket`;
    const bounds = this.upperBounds;
    for (const s of this._order) {
      const counts = s.counts!;
      let acc = 0;
      for (let i = 0; i < bounds.length; i++) {
        acc += counts[i];
        values.push({ labels: { le: bounds[i] }, sharedLabels: s.labels, value: acc, metricName: bucket, exemplar: this._exemplarOut(s, i) });
      }
      // As prom-client: no +Inf exemplar is `undefined` with exemplars enabled, `null` without.
      const inf = this._exemplars ? (this._exemplarOut(s, bounds.length) ?? undefined) : null;
      values.push(
        { labels: { le: "+Inf" }, sharedLabels: s.labels, value: s.count, metricName: bucket, exemplar: inf },
        { labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum`, exemplar: undefined },
        { labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count`, exemplar: undefined },
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** prom-client's `get()`: the same values with the series labels merged into each. */
  async get(): Promise<{ name: string; help: string; type: string; values: unknown[]; aggregator: string }> {
    const data = await this.getForPromString();
    data.values = data.values.map((v) => {
      const { sharedLabels, labels, ...rest } = v as { sharedLabels: Record<string, string>; labels: Record<string, unknown> };
      return { ...rest, labels: { ...labels, ...sharedLabels } };
    });
    return data;
  }
}
