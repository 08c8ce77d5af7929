import type { StatsD } from "hot-shots";
import { Duration, formatValue, type Value } from "../../attribute/index.js";
import type { Handler, Instance } from "../../adapter/types.js";
import type { Logger } from "../../adapter/logger.js";
import type { StatsdConfig, StatsdMetricInfo } from "./config.js";
import { renderName } from "./name-template.js";

/** What the handler has done so far (for tests, diagnostics and the bench). */
export interface StatsdStats {
  /** Metrics handed to the client (before client-side sampling). */
  sent: number;
  /** Instances refused (no config entry, wrong value type, negative timing). */
  rejected: number;
  /** Transport errors reported by the client (DNS, socket): counted and logged, never thrown. */
  errors: number;
}

/** The part of the hot-shots client the handler uses. */
export type StatsdClient = Pick<StatsD, "increment" | "gauge" | "timing" | "close">;

const CLOSE_TIMEOUT_MS = 2000;

/**
 * Sends metric instances to statsd through a buffered hot-shots client: COUNTER `|c`,
 * GAUGE `|g`, DISTRIBUTION `|ms` (DURATION in milliseconds). `handleReport` only appends to
 * the client's buffer (UDP sends happen in the background), so a statsd that is down or slow
 * never blocks the dispatcher; transport errors are counted in `stats.errors` and logged.
 */
export class StatsdHandler implements Handler {
  readonly stats: StatsdStats = { sent: 0, rejected: 0, errors: 0 };
  private readonly _cfg: StatsdConfig;
  private readonly _metrics: ReadonlyMap<string, StatsdMetricInfo>;
  private readonly _client: StatsdClient;
  private readonly _logger: Logger;
  private _closing: Promise<void> | undefined;

  constructor(cfg: StatsdConfig, client: StatsdClient, logger: Logger) {
    this._cfg = cfg;
    this._metrics = cfg.metrics;
    this._client = client;
    this._logger = logger;
  }

  /** Called by the client's error handler. Logs the first error and then every 1000th. */
  onTransportError(e: Error): void {
    this.stats.errors++;
    if (this.stats.errors % 1000 === 1) this._logger.warn(`statsd send failed (${this.stats.errors} so far): ${e.message}`);
  }

  handleReport(_template: string, instances: readonly Instance[]): void {
    if (this._closing) throw new Error("statsd handler is closed");
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

  /** Flushes the client's buffer and closes its socket (bounded wait). */
  close(): Promise<void> {
    this._closing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
      try {
        this._client.close((err?: Error) => {
          if (err) this.onTransportError(err);
          clearTimeout(timer);
          resolve();
        });
      } catch (e) {
        this.onTransportError(e as Error);
        clearTimeout(timer);
        resolve();
      }
    });
    return this._closing;
  }

  /** Records one instance; returns a problem text instead of throwing. */
  private _record(inst: Instance): string | undefined {
    const info = this._metrics.get(inst.name);
    if (info === undefined) return `no info for metric named ${inst.name}`;
    const dims = (inst.dimensions ?? {}) as Record<string, unknown>;
    const name = info.nameTemplate ? renderName(info.nameTemplate, dims) : inst.name;
    const v = inst.value as Value;
    switch (info.type) {
      case "COUNTER":
        if (typeof v !== "bigint") return `could not record counter '${name}' expected int value, got ${show(v)}`;
        return this._send(() => this._client.increment(name, Number(v)));
      case "GAUGE":
        if (typeof v !== "bigint" && !(typeof v === "number" && Number.isFinite(v))) return `could not record gauge '${name}' expected int value, got ${show(v)}`;
        return this._gauge(name, Number(v));
      case "DISTRIBUTION":
        return this._distribution(name, v);
    }
  }

  private _distribution(name: string, v: Value): string | undefined {
    let ms: number;
    if (v instanceof Duration) ms = v.toMillis();
    else if (typeof v === "bigint" && this._cfg.istioCompat) return this._send(() => this._client.increment(name, Number(v)));
    else if (typeof v === "bigint" || (typeof v === "number" && Number.isFinite(v))) ms = Number(v);
    else return `could not record distribution '${name}'; expected int or duration, got ${show(v)}`;
    if (ms < 0) return `could not record distribution '${name}': statsd timings cannot be negative, got ${ms}`;
    return this._send(() => this._client.timing(name, ms));
  }

  /** statsd reads a signed gauge value as a delta: a negative value is set by zeroing first. */
  private _gauge(name: string, n: number): string | undefined {
    if (n < 0) this._send(() => this._client.gauge(name, 0));
    return this._send(() => this._client.gauge(name, n));
  }

  private _send(fn: () => void): undefined {
    if (this._cfg.samplingRate === 0) return undefined;
    try {
      fn();
      this.stats.sent++;
    } catch (e) {
      this.onTransportError(e as Error);
    }
    return undefined;
  }
}

function show(v: unknown): string {
  if (v === undefined || v === null) return "<nil>";
  return formatValue(v as Value);
}
