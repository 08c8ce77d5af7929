import { Gauge, Registry, type RegistryContentType } from "prom-client";
import { Duration } from "../../attribute/index.js";
import type { Handler, Instance } from "../../adapter/types.js";
import type { MetricInfo, PrometheusConfig } from "./config.js";
import { SeriesExpiry, seriesKey, type SeriesOwner } from "./expiry.js";
import { safeName } from "./names.js";
import { SeriesCounter, SeriesHistogram, type ExemplarLabels } from "./series.js";
import { clip, labelValue, promValue } from "./values.js";

/** OpenMetrics caps an exemplar's label set (names + values) at 128 UTF-8 characters. */
export const MAX_EXEMPLAR_CHARS = 128;
/** At most this many per-instance problems are spelled out in one batch error. */
const MAX_LISTED_ERRORS = 10;

/** {@link Exported.slotOf}: a dimension that is exemplar label k has slot `EXEMPLAR_SLOT - k`. */
const EXEMPLAR_SLOT = -2;
/** {@link Exported.slotOf}: a dimension that is neither a label nor an exemplar label. */
const NOT_A_LABEL = -1;

interface Exported {
  readonly info: MetricInfo;
  /** GAUGE: prom-client's; COUNTER and DISTRIBUTION: the handler's own series (see series.ts). */
  readonly gauge: Gauge<string> | undefined;
  readonly series: SeriesCounter | SeriesHistogram | undefined;
  /** Sanitised label name → position in `info.labelNames`. */
  readonly labelIndex: ReadonlyMap<string, number>;
  /** Dimension key → label position (>= 0), exemplar label, or neither (bounded cache). */
  readonly slotOf: Map<string, number>;
  /** Label values of the instance being recorded. */
  readonly scratch: (string | undefined)[];
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
  private readonly _expiry: SeriesExpiry | undefined;
  private readonly _onClose: (() => void | Promise<void>) | undefined;
  private _closed = false;
  /** Clock reads of the batch being recorded (NaN: not read yet). */
  private _now = NaN;
  private _exTime = NaN;

  constructor(cfg: PrometheusConfig, opts: PrometheusHandlerOptions = {}) {
    this.registry = new Registry<RegistryContentType>();
    this.registry.setContentType(cfg.format === "OPENMETRICS" ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE);
    for (const info of cfg.metrics) this._metrics.set(info.instanceName, this._register(info));
    this._expiry = cfg.expiration ? new SeriesExpiry(cfg.expiration.expiryMs, opts.now ?? Date.now) : undefined;
    this._onClose = opts.onClose;
  }

  handleReport(_template: string, instances: readonly Instance[]): void {
    if (this._closed) return;
    this._now = NaN;
    this._exTime = NaN;
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
    const v = inst.value;
    let amount: number;
    if (typeof v === "number") amount = v;
    else if (typeof v === "bigint") amount = Number(v);
    else if (v instanceof Duration) amount = v.toSeconds();
    else {
      const c = promValue(v);
      if (!c.ok) return `could not get value for metric ${inst.name}: ${c.error}`;
      amount = c.value;
    }
    const { info } = m;
    if (info.kind === "COUNTER" && !(amount >= 0 && amount !== Infinity)) return `could not add to counter ${info.name} for ${inst.name}: counters can only increase (got ${amount})`;
    if (info.kind === "DISTRIBUTION") {
      if (Number.isNaN(amount)) return `could not observe ${info.name} for ${inst.name}: value is NaN`;
      if (!Number.isFinite(amount)) return `could not observe ${info.name} for ${inst.name}: value is ${amount}`;
    }
    const dims = (inst.dimensions ?? {}) as Record<string, unknown>;
    // Label values in labelNames order, in a scratch array reused per instance (copied only by a new series).
    const values = m.scratch;
    for (let i = 0; i < values.length; i++) values[i] = undefined;
    let seen = 0;
    let exemplar: ExemplarLabels | undefined;
    let exemplarChars = 0;
    for (const key of Object.keys(dims)) {
      let slot = m.slotOf.get(key);
      if (slot === undefined) {
        const label = safeName(key);
        const at = m.labelIndex.get(label);
        const ex = info.exemplarLabelNames.indexOf(label);
        slot = at !== undefined ? at : ex >= 0 ? EXEMPLAR_SLOT - ex : NOT_A_LABEL;
        if (m.slotOf.size < 10_000) m.slotOf.set(key, slot);
      }
      if (slot >= 0 && values[slot] === undefined) {
        values[slot] = labelValue(dims[key]);
        seen++;
      } else if (slot <= EXEMPLAR_SLOT) {
        const ev = labelValue(dims[key]);
        if (ev === "") continue; // no trace id: no exemplar for this one
        const label = info.exemplarLabelNames[EXEMPLAR_SLOT - slot];
        if (info.exemplarLabelNames.length === 1) exemplar = ev;
        else ((exemplar ??= {}) as Record<string, string>)[label] = ev;
        exemplarChars += label.length + ev.length;
      } else {
        return labelMismatch(inst, info, dims);
      }
    }
    if (seen !== info.labelNames.length) return labelMismatch(inst, info, dims);
    if (exemplar !== undefined && exemplarChars > MAX_EXEMPLAR_CHARS) {
      exemplar = undefined;
      this.stats.exemplarsDropped++;
    }
    const labelValues = values as string[];
    if (m.gauge !== undefined) {
      const labels: Record<string, string> = {};
      for (let i = 0; i < labelValues.length; i++) labels[info.labelNames[i]] = labelValues[i];
      m.gauge.set(labels, amount);
      this._expiry?.touch(seriesKey(inst.name, info.kind, labelValues), m.gauge as SeriesOwner, labels);
    } else {
      const metric = m.series!;
      let s = metric.find(labelValues);
      if (s === undefined) s = metric.create(labelValues);
      if (info.kind === "COUNTER") {
        s.value += amount;
        if (exemplar !== undefined) s.exemplar(0, exemplar, amount ? amount : 1, this._exemplarTime(), 1);
      } else {
        const slot = (metric as SeriesHistogram).slot(amount);
        s.counts![slot]++;
        s.sum += amount;
        s.count++;
        if (exemplar !== undefined) s.exemplar(slot, exemplar, amount, this._exemplarTime(), s.counts!.length);
      }
      const expiry = this._expiry;
      if (expiry !== undefined) {
        if (s.expiry === undefined) s.expiry = expiry.track(seriesKey(inst.name, info.kind, labelValues), metric, s.labels, this._batchNow());
        else s.expiry.expiresAt = expiry.deadline(this._batchNow());
      }
    }
    this.stats.recorded++;
    return undefined;
  }

  /** The expiry clock, read once per batch. */
  private _batchNow(): number {
    if (Number.isNaN(this._now)) this._now = this._expiry!.now();
    return this._now;
  }

  /** The exemplar time (prom-client's: seconds since the epoch), read once per batch. */
  private _exemplarTime(): number {
    if (Number.isNaN(this._exTime)) this._exTime = Date.now() / 1000;
    return this._exTime;
  }

  private _register(info: MetricInfo): Exported {
    const labelIndex = new Map(info.labelNames.map((l, i) => [l, i]));
    const common = { info, labelIndex, slotOf: new Map<string, number>(), scratch: new Array<string | undefined>(info.labelNames.length).fill(undefined) };
    if (info.kind === "GAUGE") {
      const gauge = new Gauge({ name: info.name, help: info.help, labelNames: [...info.labelNames], registers: [this.registry] });
      return { ...common, gauge, series: undefined };
    }
    const series =
      info.kind === "COUNTER"
        ? new SeriesCounter(info.name, info.help, info.labelNames, info.exemplarLabelNames, this.registry)
        : new SeriesHistogram(info.name, info.help, info.labelNames, info.exemplarLabelNames, info.buckets, this.registry);
    return { ...common, gauge: undefined, series };
  }
}

function labelMismatch(inst: Instance, info: MetricInfo, dims: Record<string, unknown>): string {
  const got = Object.keys(dims).map(safeName).sort();
  const want = [...info.labelNames, ...info.exemplarLabelNames].sort();
  return `could not record metric ${info.name} for ${inst.name}: dimensions [${clip(got.join(", "))}] do not match label_names [${want.join(", ")}]`;
}
