import { Duration, formatValue, type Value } from "../../attribute/index.js";
import type { Handler, Instance } from "../../adapter/types.js";
import type { Logger } from "../../adapter/logger.js";
import { UNIT_SCALE, type CirconusConfig } from "./config.js";
import { Histogram } from "./histogram.js";
import { isRetryable, isSuccess, putJson } from "./submit.js";

/** What the handler has done so far. */
export interface CirconusStats {
  /** Successful submissions. */
  submissions: number;
  /** Failed submissions (after retries); their metrics are dropped, as circonus-gometrics does. */
  errors: number;
  retries: number;
  /** Metrics (series) dropped with failed submissions. */
  dropped: number;
  /** Instances refused (wrong value type, negative counter, value outside the histogram range). */
  rejected: number;
}

/** One HTTPTrap typed value. */
export interface TrapValue {
  readonly _type: "L" | "l" | "n" | "h";
  readonly _value: string | number | readonly string[];
}

const RETRY_DELAY_MS = 200;
const TAG_SAFE = /^[A-Za-z0-9._/-]+$/;

/**
 * Keeps counters, gauges and log-linear histograms per series and submits them as HTTPTrap
 * JSON every `submission_interval` (snapshot and reset; empty intervals send nothing; never
 * two submissions at once). `handleReport` only updates memory, so a broker that is down or
 * slow never blocks the dispatcher; each request is bounded by `submission_timeout`, retried
 * on transport errors and 5xx, and failures are counted and logged. `close()` awaits a final flush.
 */
export class CirconusHandler implements Handler {
  readonly stats: CirconusStats = { submissions: 0, errors: 0, retries: 0, dropped: 0, rejected: 0 };
  private readonly _cfg: CirconusConfig;
  private readonly _logger: Logger;
  private _counters = new Map<string, bigint>();
  private _gauges = new Map<string, TrapValue>();
  private _histograms = new Map<string, Histogram>();
  private _inFlight: Promise<void> | undefined;
  private _closing: Promise<void> | undefined;

  constructor(cfg: CirconusConfig, logger: Logger) {
    this._cfg = cfg;
    this._logger = logger;
  }

  handleReport(_template: string, instances: readonly Instance[]): void {
    if (this._closing) throw new Error("circonus handler is closed");
    const problems: string[] = [];
    for (const inst of instances) {
      const p = this._record(inst);
      if (p !== undefined) problems.push(p);
    }
    if (problems.length > 0) {
      this.stats.rejected += problems.length;
      throw new Error(problems.join("; "));
    }
  }

  /** Submits what accumulated since the last flush. Skipped (resolves at once) while another flush runs. */
  flush(): Promise<void> {
    if (this._inFlight) return Promise.resolve();
    const body = this._snapshot();
    if (body === undefined) return Promise.resolve();
    this._inFlight = this._submit(body).finally(() => (this._inFlight = undefined));
    return this._inFlight;
  }

  /** Waits for a running flush, then submits what is left (bounded by timeout × attempts). */
  close(): Promise<void> {
    this._closing ??= (async () => {
      await this._inFlight;
      await this.flush();
    })();
    return this._closing;
  }

  /** Periodic entry point (no-op once closing: close() does the last flush). */
  tick(): Promise<void> {
    return this._closing ? Promise.resolve() : this.flush();
  }

  /** The HTTPTrap JSON object for the current interval, resetting it; `undefined` when empty. */
  private _snapshot(): Record<string, TrapValue> | undefined {
    if (this._counters.size + this._gauges.size + this._histograms.size === 0) return undefined;
    const out: Record<string, TrapValue> = {};
    for (const [k, v] of this._counters) out[k] = { _type: "L", _value: v.toString() };
    for (const [k, v] of this._gauges) out[k] = v;
    for (const [k, h] of this._histograms) out[k] = this._histogramValue(h);
    this._counters = new Map();
    this._gauges = new Map();
    this._histograms = new Map();
    return out;
  }

  private _histogramValue(h: Histogram): TrapValue {
    if (this._cfg.istioCompat) return { _type: "n", _value: h.toStrings() };
    return { _type: "h", _value: this._cfg.histogramEncoding === "base64" ? h.toBase64() : h.toStrings() };
  }

  private async _submit(payload: Record<string, TrapValue>): Promise<void> {
    const body = JSON.stringify(payload);
    for (let attempt = 0; ; attempt++) {
      const r = await putJson(this._cfg.submissionUrl, body, this._cfg.submissionTimeoutMs);
      if (isSuccess(r.status)) {
        this.stats.submissions++;
        return;
      }
      if (!isRetryable(r.status) || attempt >= this._cfg.retries) {
        this.stats.errors++;
        this.stats.dropped += Object.keys(payload).length;
        const why = r.status === 0 ? r.error : `status ${r.status} ${r.body.slice(0, 200)}`;
        this._logger.warn(`[ERROR] submitting metrics to ${redact(this._cfg.submissionUrl)}: ${why} (${Object.keys(payload).length} metrics dropped)`);
        return;
      }
      this.stats.retries++;
      await new Promise<void>((res) => setTimeout(res, RETRY_DELAY_MS * (attempt + 1)).unref());
    }
  }

  private _record(inst: Instance): string | undefined {
    const type = this._cfg.metrics.get(inst.name);
    if (type === undefined) return `missing metric configuration ${inst.name}`;
    const name = this._cfg.istioCompat ? inst.name : seriesName(inst.name, (inst.dimensions ?? {}) as Record<string, Value>);
    const v = inst.value as Value;
    const compat = this._cfg.istioCompat;
    switch (type) {
      case "COUNTER": {
        const inc = compat ? 1n : v;
        if (typeof inc !== "bigint") return `could not record counter '${name}' expected int value, got ${show(v)}`;
        if (inc < 0n) return `could not record counter '${name}': negative increment ${inc}`;
        this._counters.set(name, (this._counters.get(name) ?? 0n) + inc);
        return undefined;
      }
      case "GAUGE":
        if (typeof v === "bigint") this._gauges.set(name, { _type: "l", _value: v.toString() });
        else if (compat) this._gauges.set(name, { _type: "l", _value: "0" });
        else if (typeof v === "number" && Number.isFinite(v)) this._gauges.set(name, { _type: "n", _value: v });
        else return `could not record gauge '${name}' expected int or double value, got ${show(v)}`;
        return undefined;
      case "DISTRIBUTION":
        return this._observe(name, v);
    }
  }

  private _observe(name: string, v: Value): string | undefined {
    const compat = this._cfg.istioCompat;
    let add: (h: Histogram) => boolean;
    if (v instanceof Duration) add = (h) => h.insertIntScale(v.nanos, compat ? 0 : UNIT_SCALE[this._cfg.durationUnit]);
    else if (compat) add = (h) => h.insert(0);
    else if (typeof v === "bigint") add = (h) => h.insertIntScale(v, 0);
    else if (typeof v === "number") add = (h) => h.insert(v);
    else return `could not record distribution '${name}'; expected duration, int or double, got ${show(v)}`;
    const h = this._histograms.get(name) ?? new Histogram();
    if (!add(h)) return `could not record distribution '${name}': ${show(v)} is outside the histogram's range (|x| < 1e128)`;
    this._histograms.set(name, h);
    return undefined;
  }
}

/**
 * `fqn|ST[k:v,...]` with dimensions sorted by key as Circonus stream tags; a category or value
 * outside `[A-Za-z0-9._/-]` is written base64-encoded as `b"..."`. No dimensions ⇒ the FQN.
 */
export function seriesName(fqn: string, dims: Readonly<Record<string, Value>>): string {
  const keys = Object.keys(dims).sort();
  if (keys.length === 0) return fqn;
  const tag = (s: string): string => (TAG_SAFE.test(s) ? s : `b"${Buffer.from(s).toString("base64")}"`);
  return `${fqn}|ST[${keys.map((k) => `${tag(k)}:${tag(formatValue(dims[k]))}`).join(",")}]`;
}

function show(v: unknown): string {
  return v === undefined || v === null ? "<nil>" : formatValue(v as Value);
}

/** The submission URL without its secret (last path segment) for logs. */
function redact(url: string): string {
  return url.replace(/\/[^/]*$/, "/…");
}
