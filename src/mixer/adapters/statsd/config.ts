import type { FieldError } from "../../adapter/types.js";
import { isPlainObject, readBool, readDuration, readEnum, readFields, readInt, readString } from "../../adapter/params.js";
import { parseNameTemplate, type NameTemplate } from "./name-template.js";

/** statsd MetricInfo.Type (UNKNOWN is refused at validation). */
export type StatsdMetricType = "UNKNOWN" | "COUNTER" | "GAUGE" | "DISTRIBUTION";
const TYPES: readonly StatsdMetricType[] = ["UNKNOWN", "COUNTER", "GAUGE", "DISTRIBUTION"];

/** How one metric instance is sent. */
export interface StatsdMetricInfo {
  readonly type: Exclude<StatsdMetricType, "UNKNOWN">;
  /** `undefined` ⇒ the instance FQN is the name. */
  readonly nameTemplate: NameTemplate | undefined;
}

/** Parsed statsd params (Mixer statsd config.proto plus `istio_compat`). */
export interface StatsdConfig {
  readonly host: string;
  readonly port: number;
  readonly prefix: string;
  readonly flushMs: number;
  readonly flushBytes: number;
  readonly samplingRate: number;
  readonly metrics: ReadonlyMap<string, StatsdMetricInfo>;
  /** Mixer 1.7 quirks: INT64 distributions are sent as counter increments. */
  readonly istioCompat: boolean;
}

/** Mixer's defaults (inventory.go): localhost:8125, no prefix, 300 ms, 512 bytes, rate 1. */
export const STATSD_DEFAULTS = Object.freeze({
  address: "localhost:8125",
  prefix: "",
  flush_duration: "300ms",
  flush_bytes: 512,
  sampling_rate: 1,
});

const FIELDS = ["address", "prefix", "flush_duration", "flush_bytes", "sampling_rate", "metrics", "istio_compat"];

/** Parses and validates statsd params; every problem goes to `errors`. */
export function parseStatsdConfig(raw: unknown, errors: FieldError[]): StatsdConfig {
  const p = readFields(raw, "", FIELDS, errors);
  const { host, port } = readAddress(p.address, errors);
  const flushMs = readDuration(p.flush_duration, "flush_duration", errors) ?? 300;
  if (flushMs < 0) errors.push({ field: "flush_duration", message: "flush duration must be >= 0" });
  let flushBytes = readInt(p.flush_bytes, "flush_bytes", errors) ?? 512;
  if (flushBytes < 0) errors.push({ field: "flush_bytes", message: "flush bytes must be >= 0" });
  if (flushBytes <= 0) flushBytes = 512;
  const samplingRate = readRate(p.sampling_rate, errors);
  return {
    host,
    port,
    prefix: readString(p.prefix, "prefix", errors) ?? "",
    flushMs,
    flushBytes,
    samplingRate,
    metrics: readMetrics(p.metrics, errors),
    istioCompat: readBool(p.istio_compat, "istio_compat", errors) ?? false,
  };
}

function readAddress(v: unknown, errors: FieldError[]): { host: string; port: number } {
  const text = readString(v, "address", errors) ?? "localhost:8125";
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) {
    errors.push({ field: "address", message: `expected host:port (e.g. localhost:8125 or [::1]:8125), got ${JSON.stringify(text)}` });
    return { host: "localhost", port: 8125 };
  }
  return { host: m[1] ?? m[2], port };
}

function readRate(v: unknown, errors: FieldError[]): number {
  if (v === undefined) return 1;
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isFinite(n)) {
    errors.push({ field: "sampling_rate", message: `expected a number in [0, 1], got ${JSON.stringify(v)}` });
    return 1;
  }
  if (n < 0 || n > 1) errors.push({ field: "sampling_rate", message: `sampling rate must be in [0, 1], got ${n}` });
  return n;
}

function readMetrics(v: unknown, errors: FieldError[]): Map<string, StatsdMetricInfo> {
  const out = new Map<string, StatsdMetricInfo>();
  if (v === undefined) return out;
  if (!isPlainObject(v)) {
    errors.push({ field: "metrics", message: "expected a map of metric instance name to {type, name_template}" });
    return out;
  }
  for (const [fqn, raw] of Object.entries(v)) {
    const path = `metrics[${fqn}]`;
    const f = readFields(raw, path, ["type", "name_template"], errors);
    const type = readEnum(f.type, TYPES, `${path}.type`, errors);
    if (f.type === undefined) errors.push({ field: `${path}.type`, message: "required: COUNTER, GAUGE or DISTRIBUTION" });
    else if (type === "UNKNOWN") errors.push({ field: `${path}.type`, message: "must be COUNTER, GAUGE or DISTRIBUTION (UNKNOWN is never sent)" });
    const text = readString(f.name_template, `${path}.name_template`, errors) ?? "";
    let nameTemplate: NameTemplate | undefined;
    if (text !== "") {
      const t = parseNameTemplate(text);
      if ("error" in t) errors.push({ field: `${path}.name_template`, message: `failed to parse template ${JSON.stringify(text)}: ${t.error}` });
      else nameTemplate = t;
    }
    if (type !== undefined && type !== "UNKNOWN") out.set(fqn, { type, nameTemplate });
  }
  return out;
}
