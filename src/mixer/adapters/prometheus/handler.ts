import { Counter, Gauge, Histogram, Registry, type RegistryContentType } from "prom-client";
import type { Handler, Instance } from "../../adapter/types.js";
import type { MetricInfo, PrometheusConfig } from "./config.js";
import { SeriesExpiry, seriesKey, type SeriesOwner } from "./expiry.js";
import { safeName } from "./names.js";
import { clip, labelValue, promValue } from "./values.js";

/** OpenMetrics caps an exemplar's label set (names + values) at 128 UTF-8 characters. */
export const MAX_EXEMPLAR_CHARS = 128;
/** At most this many per-instance problems are spelled out in one batch error. */
const MAX_LISTED_ERRORS = 10;

type Metric = Counter<string> | Gauge<string> | Histogram<string>;

interface Exported {
  readonly info: MetricInfo;
  readonly metric: Metric;
  /** Sanitised label name → position in `info.labelNames`. */
  readonly labelIndex: ReadonlyMap<string, number>;
  readonly exemplarSet: ReadonlySet<string>;
}

/** Counts kept by the handler (tests, operators). */
export interface PrometheusStats {
  /** Instances applied to a metric. */
  recorded: number;
  /** Instances refused (bad value, label mismatch, negative counter increment, unknown instance). */
  rejected: number;
  /** Observations recorded without their exemplar (label set over 128 characters). */
  exemplarsDropped: number;
  /** Series deleted by the expiration policy. */
  expired: number;
}

/** Options of {@link PrometheusHandler}. */
export interface PrometheusHandlerOptions {
  /** Clock for the expiration policy (ms; default `Date.now`). */
  readonly now?: () => number;
  /** Called when the handler closes (releases the HTTP endpoint). */
  readonly onClose?: () => void | Promise<void>;
}

/** Thrown by `handleReport` when some instances of a batch were refused; the others were recorded. */
export class PrometheusReportError extends Error {
  /** One message per refused instance, in batch order. */
  readonly problems: readonly string[];
  constructor(problems: string[], total: number) {
    const listed = problems.slice(0, MAX_LISTED_ERRORS).join("; ");
    const more = problems.length > MAX_LISTED_ERRORS ? `; and ${problems.length - MAX_LISTED_ERRORS} more` : "";
    super(`${problems.length} of ${total} instance(s) not recorded: ${listed}${more}`);
    this.name = "PrometheusReportError";
    this.problems = problems;
  }
}

/**
 * The `prometheus` handler: metric instances become prom-client counters, gauges and histograms
 * in the handler's own {@link Registry}. Every instance is checked (value, labels, sign) before
 * anything is recorded, so a bad instance is refused on its own and the rest of the batch lands;
 * the refusals come back as one {@link PrometheusReportError}.
 */
export class PrometheusHandler implements Handler {
  readonly registry: Registry<RegistryContentType>;
  readonly stats: PrometheusStats = { recorded: 0, rejected: 0, exemplarsDropped: 0, expired: 0 };
  /** `host:port` of the HTTP endpoint serving this handler (`GET /metrics`), when it has one. */
  endpoint: string | undefined;
  private readonly _metrics = new Map<string, Exported>();
  /** Dimension key → sanitised label name (dimension keys repeat for every instance). */
  private readonly _labelOf = new Map<string, string>();
  private readonly _expiry: SeriesExpiry | undefined;
  private readonly _onClose: (() => void | Promise<void>) | undefined;
  private _closed = false;

  constructor(cfg: PrometheusConfig, opts: PrometheusHandlerOptions = {}) {
    this.registry = new Registry<RegistryContentType>();
    this.registry.setContentType(cfg.format === "OPENMETRICS" ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE);
    for (const info of cfg.metrics) this._metrics.set(info.instanceName, this._register(info));
    this._expiry = cfg.expiration ? new SeriesExpiry(cfg.expiration.expiryMs, opts.now ?? Date.now) : undefined;
    this._onClose = opts.onClose;
  }

  handleReport(_template: string, instances: readonly Instance[]): void {
    if (this._closed) return;
    let problems: string[] | undefined;
    for (const inst of instances) {
      const problem = this._record(inst);
      if (problem === undefined) continue;
      (problems ??= []).push(problem);
    }
    if (problems !== undefined) {
      this.stats.rejected += problems.length;
      throw new PrometheusReportError(problems, instances.length);
    }
  }

  /** The exposition text of this handler's registry (Prometheus text or OpenMetrics, see {@link contentType}). */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** Content type of {@link metrics}. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Deletes series not updated within the expiry duration (run periodically; exposed for tests). */
  sweepExpired(): number {
    if (this._expiry === undefined) return 0;
    const n = this._expiry.sweep();
    this.stats.expired += n;
    return n;
  }

  /** Series tracked by the expiration policy. */
  get trackedSeries(): number {
    return this._expiry?.size ?? 0;
  }

  async close(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    this._expiry?.clear();
    await this._onClose?.();
  }

  /** Applies one instance, or returns why it was refused (nothing recorded then). */
  private _record(inst: Instance): string | undefined {
    const m = this._metrics.get(inst.name);
    if (m === undefined) return `could not find metric info from adapter config for ${clip(String(inst.name))}`;
    const v = promValue(inst.value);
    if (!v.ok) return `could not get value for metric ${inst.name}: ${v.error}`;
    const amount = v.value;
    const { info } = m;
    if (info.kind === "COUNTER" && !(amount >= 0 && amount !== Infinity)) return `could not add to counter ${info.name} for ${inst.name}: counters can only increase (got ${amount})`;
    if (info.kind === "DISTRIBUTION" && Number.isNaN(amount)) return `could not observe ${info.name} for ${inst.name}: value is NaN`;
    const dims = (inst.dimensions ?? {}) as Record<string, unknown>;
    const values = new Array<string>(info.labelNames.length);
    let seen = 0;
    let exemplar: Record<string, string> | undefined;
    let exemplarChars = 0;
    for (const key of Object.keys(dims)) {
      let label = this._labelOf.get(key);
      if (label === undefined) {
        label = safeName(key);
        if (this._labelOf.size < 10_000) this._labelOf.set(key, label);
      }
      const at = m.labelIndex.get(label);
      if (at !== undefined && values[at] === undefined) {
        values[at] = labelValue(dims[key]);
        seen++;
      } else if (m.exemplarSet.has(label)) {
        const ev = labelValue(dims[key]);
        if (ev === "") continue; // no trace id: no exemplar for this one
        (exemplar ??= {})[label] = ev;
        exemplarChars += label.length + ev.length;
      } else {
        return labelMismatch(inst, info, dims);
      }
    }
    if (seen !== info.labelNames.length) return labelMismatch(inst, info, dims);
    const labels: Record<string, string> = {};
    for (let i = 0; i < values.length; i++) labels[info.labelNames[i]] = values[i];
    if (exemplar !== undefined && exemplarChars > MAX_EXEMPLAR_CHARS) {
      exemplar = undefined;
      this.stats.exemplarsDropped++;
    }
    this._apply(m, labels, amount, exemplar);
    this._expiry?.touch(seriesKey(inst.name, info.kind, values), m.metric as SeriesOwner, labels);
    this.stats.recorded++;
    return undefined;
  }

  private _apply(m: Exported, labels: Record<string, string>, value: number, exemplar: Record<string, string> | undefined): void {
    switch (m.info.kind) {
      case "GAUGE":
        (m.metric as Gauge<string>).set(labels, value);
        return;
      case "COUNTER":
        if (m.exemplarSet.size > 0) (m.metric as Counter<string>).inc({ labels, value, exemplarLabels: exemplar });
        else (m.metric as Counter<string>).inc(labels, value);
        return;
      case "DISTRIBUTION":
        if (m.exemplarSet.size > 0) (m.metric as Histogram<string>).observe({ labels, value, exemplarLabels: exemplar ?? {} });
        else (m.metric as Histogram<string>).observe(labels, value);
        return;
    }
  }

  private _register(info: MetricInfo): Exported {
    const base = { name: info.name, help: info.help, labelNames: [...info.labelNames], registers: [this.registry] };
    const exemplars = info.exemplarLabelNames.length > 0;
    let metric: Metric;
    if (info.kind === "GAUGE") metric = new Gauge(base);
    else if (info.kind === "COUNTER") metric = new Counter({ ...base, enableExemplars: exemplars });
    else metric = new Histogram({ ...base, buckets: [...info.buckets], enableExemplars: exemplars });
    return {
      info,
      metric,
      labelIndex: new Map(info.labelNames.map((l, i) => [l, i])),
      exemplarSet: new Set(info.exemplarLabelNames),
    };
  }
}

function labelMismatch(inst: Instance, info: MetricInfo, dims: Record<string, unknown>): string {
  const got = Object.keys(dims).map(safeName).sort();
  const want = [...info.labelNames, ...info.exemplarLabelNames].sort();
  return `could not record metric ${info.name} for ${inst.name}: dimensions [${clip(got.join(", "))}] do not match label_names [${want.join(", ")}]`;
}
