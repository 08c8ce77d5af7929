import type { FieldError } from "../../adapter/types.js";
import { readDuration, readEnum, readFields, readString, readStringList } from "../../adapter/params.js";
import { parseBuckets } from "./buckets.js";
import { exportedName, labelNameProblem, metricNameProblem, safeName } from "./names.js";

/** Mixer MetricInfo.Kind (UNSPECIFIED is rejected). */
export type MetricKind = "UNSPECIFIED" | "GAUGE" | "COUNTER" | "DISTRIBUTION";
const KINDS: readonly MetricKind[] = ["UNSPECIFIED", "GAUGE", "COUNTER", "DISTRIBUTION"];

/** Text exposition format of the handler's registry. */
export type ExpositionFormat = "PROMETHEUS" | "OPENMETRICS";
const FORMATS: readonly ExpositionFormat[] = ["PROMETHEUS", "OPENMETRICS"];

/** One exported metric (Mixer Params.MetricInfo, plus `exemplar_label_names`). */
export interface MetricInfo {
  /** Instance FQN this entry consumes. */
  readonly instanceName: string;
  /** Exported (sanitised, namespaced) name, e.g. `istio_requests_total`. */
  readonly name: string;
  readonly help: string;
  readonly kind: Exclude<MetricKind, "UNSPECIFIED">;
  /** Sanitised label names, in configured order. */
  readonly labelNames: readonly string[];
  /** Histogram upper bounds (DISTRIBUTION only). */
  readonly buckets: readonly number[];
  /** Dimensions that become the exemplar label set instead of series labels (COUNTER/DISTRIBUTION). */
  readonly exemplarLabelNames: readonly string[];
}

/** `metrics_expiration_policy`, in milliseconds. */
export interface ExpirationPolicy {
  readonly expiryMs: number;
  readonly checkIntervalMs: number;
}

/** Parsed prometheus params. */
export interface PrometheusConfig {
  readonly metrics: readonly MetricInfo[];
  readonly expiration: ExpirationPolicy | undefined;
  /** `host:port` of the exposition endpoint (`/metrics`); `""` = no HTTP server. */
  readonly address: string;
  readonly format: ExpositionFormat;
}

/** Default exposition address: loopback, Mixer's port 42422. */
export const DEFAULT_ADDRESS = "127.0.0.1:42422";

/** Defaults merged under handler params: no metrics, loopback endpoint, Prometheus text format. */
export const PROMETHEUS_DEFAULTS = Object.freeze({ metrics: [], address: DEFAULT_ADDRESS, exposition_format: "PROMETHEUS" });

const FIELDS = ["metrics", "metrics_expiration_policy", "address", "exposition_format"];
const METRIC_FIELDS = ["namespace", "name", "instance_name", "description", "kind", "buckets", "label_names", "exemplar_label_names"];

/** Parses and validates prometheus params; every problem goes to `errors`. */
export function parsePrometheusConfig(raw: unknown, errors: FieldError[]): PrometheusConfig {
  const p = readFields(raw, "", FIELDS, errors);
  const address = readString(p.address, "address", errors) ?? DEFAULT_ADDRESS;
  if (address !== "" && parseAddress(address) === undefined) {
    errors.push({ field: "address", message: `expected host:port (e.g. "127.0.0.1:9464", "[::1]:9464", ":9464"; "" for no HTTP endpoint), got ${JSON.stringify(address)}` });
  }
  const format = readEnum(p.exposition_format, FORMATS, "exposition_format", errors) ?? "PROMETHEUS";
  const metrics: MetricInfo[] = [];
  if (p.metrics !== undefined && p.metrics !== null && !Array.isArray(p.metrics)) errors.push({ field: "metrics", message: "expected a list" });
  const list = Array.isArray(p.metrics) ? p.metrics : [];
  const byInstance = new Map<string, number>();
  const byName = new Map<string, number>();
  list.forEach((m, i) => {
    const info = parseMetric(m, `metrics[${i}]`, format, errors);
    if (info === undefined) return;
    const seen = byInstance.get(info.instanceName);
    if (seen !== undefined) errors.push({ field: `metrics[${i}].instance_name`, message: `instance '${info.instanceName}' is already exported by metrics[${seen}]` });
    const clash = byName.get(info.name);
    if (clash !== undefined) errors.push({ field: `metrics[${i}].name`, message: `metric name '${info.name}' is already used by metrics[${clash}]` });
    byInstance.set(info.instanceName, i);
    byName.set(info.name, i);
    metrics.push(info);
  });
  return { metrics, expiration: readExpiration(p.metrics_expiration_policy, errors), address, format };
}

function parseMetric(raw: unknown, path: string, format: ExpositionFormat, errors: FieldError[]): MetricInfo | undefined {
  const n0 = errors.length;
  const m = readFields(raw, path, METRIC_FIELDS, errors);
  const instanceName = readString(m.instance_name, `${path}.instance_name`, errors) ?? "";
  if (instanceName === "" && errors.length === n0) errors.push({ field: `${path}.instance_name`, message: "required (the FQN of the metric instance, e.g. requestcount.instance.istio-system)" });
  const namespace = readString(m.namespace, `${path}.namespace`, errors) ?? "";
  const rawName = readString(m.name, `${path}.name`, errors) ?? "";
  const description = readString(m.description, `${path}.description`, errors) ?? "";
  const kind = readEnum(m.kind, KINDS, `${path}.kind`, errors) ?? "UNSPECIFIED";
  if (kind === "UNSPECIFIED" && errors.length === n0) {
    errors.push({ field: `${path}.kind`, message: "unknown metric kind (UNSPECIFIED); could not register metric (use GAUGE, COUNTER or DISTRIBUTION)" });
  }
  const name = exportedName(namespace, rawName, instanceName);
  const nameProblem = metricNameProblem(name);
  if (nameProblem !== undefined && instanceName !== "") errors.push({ field: `${path}.${rawName === "" ? "instance_name" : "name"}`, message: nameProblem });
  const histogram = kind === "DISTRIBUTION";
  const labelNames = readLabels(m.label_names, `${path}.label_names`, histogram, errors);
  const exemplarLabelNames = readLabels(m.exemplar_label_names, `${path}.exemplar_label_names`, false, errors);
  if (exemplarLabelNames.length > 0) {
    if (kind === "GAUGE") errors.push({ field: `${path}.exemplar_label_names`, message: "exemplars are only supported on COUNTER and DISTRIBUTION metrics" });
    if (format !== "OPENMETRICS") errors.push({ field: `${path}.exemplar_label_names`, message: "exemplars are only exposed in the OpenMetrics format: set exposition_format: OPENMETRICS" });
    for (const e of exemplarLabelNames) {
      if (labelNames.includes(e)) errors.push({ field: `${path}.exemplar_label_names`, message: `'${e}' is also in label_names: a dimension is either a label or an exemplar label` });
    }
  }
  const buckets = parseBuckets(m.buckets, `${path}.buckets`, errors);
  if (errors.length > n0 || kind === "UNSPECIFIED") return undefined;
  return { instanceName, name, help: description === "" ? (rawName === "" ? instanceName : rawName) : description, kind, labelNames, buckets: histogram ? buckets : [], exemplarLabelNames };
}

function readLabels(v: unknown, field: string, histogram: boolean, errors: FieldError[]): string[] {
  const raw = readStringList(v, field, errors) ?? [];
  const out: string[] = [];
  raw.forEach((l, i) => {
    const name = safeName(l);
    const problem = labelNameProblem(name, histogram);
    if (problem !== undefined) errors.push({ field: `${field}[${i}]`, message: problem });
    else if (out.includes(name)) errors.push({ field: `${field}[${i}]`, message: `duplicate label name '${name}'` });
    else out.push(name);
  });
  return out;
}

function readExpiration(v: unknown, errors: FieldError[]): ExpirationPolicy | undefined {
  if (v === undefined || v === null) return undefined;
  const path = "metrics_expiration_policy";
  const f = readFields(v, path, ["metrics_expiry_duration", "expiry_check_interval_duration"], errors);
  const n0 = errors.length;
  const expiryMs = readDuration(f.metrics_expiry_duration, `${path}.metrics_expiry_duration`, errors) ?? 0;
  if (!(expiryMs > 0) && errors.length === n0) errors.push({ field: `${path}.metrics_expiry_duration`, message: `metricsExpiryDuration ${f.metrics_expiry_duration ?? "0s"} is invalid, must be > 0` });
  const interval = readDuration(f.expiry_check_interval_duration, `${path}.expiry_check_interval_duration`, errors);
  if (interval !== undefined && interval < 0) errors.push({ field: `${path}.expiry_check_interval_duration`, message: "must be >= 0" });
  const checkIntervalMs = interval === undefined || interval === 0 ? expiryMs / 2 : interval;
  // A sub-millisecond timer would spin: the check runs at most once per millisecond.
  return { expiryMs, checkIntervalMs: Math.max(1, checkIntervalMs) };
}

/** `host:port` → listen arguments; `:port` means every interface (as in Go). `undefined` when malformed. */
export function parseAddress(address: string): { host: string | undefined; port: number } | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(address);
  if (m === null) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  const host = m[1] ?? m[2];
  return { host: host === "" ? undefined : host, port };
}
