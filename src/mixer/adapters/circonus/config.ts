import type { FieldError } from "../../adapter/types.js";
import { readBool, readDuration, readEnum, readFields, readInt, readString } from "../../adapter/params.js";

/** circonus MetricInfo.Type (UNKNOWN is refused at validation). */
export type CirconusMetricType = "UNKNOWN" | "COUNTER" | "GAUGE" | "DISTRIBUTION";
const TYPES: readonly CirconusMetricType[] = ["UNKNOWN", "COUNTER", "GAUGE", "DISTRIBUTION"];
/** Unit DURATION values are recorded in (nanoseconds is Istio's choice). */
export type DurationUnit = "s" | "ms" | "us" | "ns";
const UNITS: readonly DurationUnit[] = ["s", "ms", "us", "ns"];
/** Power-of-ten scale turning integer nanoseconds into the unit. */
export const UNIT_SCALE: Readonly<Record<DurationUnit, number>> = { s: -9, ms: -6, us: -3, ns: 0 };

/** Parsed circonus params (Mixer circonus config.proto plus the TS options documented in docs/mixer.md). */
export interface CirconusConfig {
  readonly submissionUrl: string;
  readonly submissionIntervalMs: number;
  readonly metrics: ReadonlyMap<string, Exclude<CirconusMetricType, "UNKNOWN">>;
  readonly submissionTimeoutMs: number;
  readonly retries: number;
  readonly durationUnit: DurationUnit;
  readonly histogramEncoding: "strings" | "base64";
  readonly istioCompat: boolean;
}

/** Mixer's defaults (10 s interval) plus ours: 5 s per request, 1 retry, seconds, bucket strings. */
export const CIRCONUS_DEFAULTS = Object.freeze({ submission_url: "", submission_interval: "10s" });

const FIELDS = ["submission_url", "submission_interval", "metrics", "submission_timeout", "retries", "duration_unit", "histogram_encoding", "istio_compat"];

/** Parses and validates circonus params (not the routed-instance checks: see `validateCirconus`). */
export function parseCirconusConfig(raw: unknown, errors: FieldError[]): CirconusConfig & { readonly metricPaths: ReadonlyMap<string, string> } {
  const p = readFields(raw, "", FIELDS, errors);
  const submissionUrl = readString(p.submission_url, "submission_url", errors) ?? "";
  checkUrl(submissionUrl, errors);
  const submissionIntervalMs = readDuration(p.submission_interval, "submission_interval", errors) ?? 10_000;
  if (submissionIntervalMs < 1000) errors.push({ field: "submission_interval", message: "submission_interval must be at least 1 second" });
  if (submissionIntervalMs > 2 ** 31 - 1) errors.push({ field: "submission_interval", message: "submission_interval must be at most 24 days" });
  const submissionTimeoutMs = readDuration(p.submission_timeout, "submission_timeout", errors) ?? 5000;
  if (submissionTimeoutMs <= 0 || submissionTimeoutMs > 2 ** 31 - 1) errors.push({ field: "submission_timeout", message: "must be > 0 and at most 24 days" });
  const retries = readInt(p.retries, "retries", errors) ?? 1;
  if (retries < 0 || retries > 10) errors.push({ field: "retries", message: "must be in 0..10" });
  const { metrics, metricPaths } = readMetrics(p.metrics, errors);
  return {
    submissionUrl,
    submissionIntervalMs,
    metrics,
    metricPaths,
    submissionTimeoutMs,
    retries,
    durationUnit: readEnum(p.duration_unit, UNITS, "duration_unit", errors) ?? "s",
    histogramEncoding: readEnum(p.histogram_encoding, ["strings", "base64"] as const, "histogram_encoding", errors) ?? "strings",
    istioCompat: readBool(p.istio_compat, "istio_compat", errors) ?? false,
  };
}

function checkUrl(text: string, errors: FieldError[]): void {
  if (text === "") {
    errors.push({ field: "submission_url", message: "required: the HTTPTrap check's data submission URL" });
    return;
  }
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    errors.push({ field: "submission_url", message: `parse ${JSON.stringify(text)}: invalid URI for request` });
    return;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") errors.push({ field: "submission_url", message: `unsupported scheme ${JSON.stringify(u.protocol)} (http or https)` });
}

function readMetrics(v: unknown, errors: FieldError[]): { metrics: Map<string, Exclude<CirconusMetricType, "UNKNOWN">>; metricPaths: Map<string, string> } {
  const metrics = new Map<string, Exclude<CirconusMetricType, "UNKNOWN">>();
  const metricPaths = new Map<string, string>();
  if (v === undefined) return { metrics, metricPaths };
  if (!Array.isArray(v)) {
    errors.push({ field: "metrics", message: "expected a list of {name, type}" });
    return { metrics, metricPaths };
  }
  v.forEach((raw, i) => {
    const path = `metrics[${i}]`;
    const f = readFields(raw, path, ["name", "type"], errors);
    const name = readString(f.name, `${path}.name`, errors) ?? "";
    if (name === "") errors.push({ field: `${path}.name`, message: "required (the metric instance FQN)" });
    else if (metricPaths.has(name)) errors.push({ field: `${path}.name`, message: `duplicate metric ${name} (first at ${metricPaths.get(name)})` });
    const type = readEnum(f.type, TYPES, `${path}.type`, errors);
    if (f.type === undefined) errors.push({ field: `${path}.type`, message: `missing metric type for ${name}: COUNTER, GAUGE or DISTRIBUTION` });
    else if (type === "UNKNOWN") errors.push({ field: `${path}.type`, message: "must be COUNTER, GAUGE or DISTRIBUTION (UNKNOWN is never submitted)" });
    if (name !== "" && !metricPaths.has(name)) {
      metricPaths.set(name, path);
      if (type !== undefined && type !== "UNKNOWN") metrics.set(name, type);
    }
  });
  return { metrics, metricPaths };
}
