import { ValueType } from "../../attribute/index.js";
import type { AdapterInfo, BuilderInput, Env, FieldError, HandlerBuilder, InstanceTypes } from "../../adapter/types.js";
import { parsePrometheusConfig, PROMETHEUS_DEFAULTS, type MetricInfo } from "./config.js";
import { PrometheusHandler } from "./handler.js";
import { safeName } from "./names.js";
import { attachExposition } from "./server.js";

const NUMERIC = new Set([ValueType.INT64, ValueType.DOUBLE, ValueType.DURATION, ValueType.STRING, ValueType.VALUE_TYPE_UNSPECIFIED]);

/**
 * Config-time checks Mixer only finds per request: a routed metric instance whose `value` can
 * never be a number, or whose dimensions can never match `label_names`.
 */
function checkRouted(metrics: readonly MetricInfo[], types: ReadonlyMap<string, InstanceTypes>, errors: FieldError[]): void {
  metrics.forEach((m, i) => {
    const t = types.get(m.instanceName);
    if (t === undefined) return;
    const vt = t.value;
    if (typeof vt === "number" && !NUMERIC.has(vt)) {
      errors.push({ field: `metrics[${i}].instance_name`, message: `instance '${m.instanceName}' has a value of type ${ValueType[vt]}: could not extract numeric value (INT64, DOUBLE, DURATION or STRING)` });
    }
    const dims = typeof t.dimensions === "object" ? Object.keys(t.dimensions).map(safeName) : [];
    const missing = m.labelNames.filter((l) => !dims.includes(l));
    const extra = dims.filter((d) => !m.labelNames.includes(d) && !m.exemplarLabelNames.includes(d));
    if (missing.length > 0 || extra.length > 0) {
      const parts = [missing.length > 0 ? `no dimension for label(s) ${missing.join(", ")}` : "", extra.length > 0 ? `dimension(s) ${extra.join(", ")} not in label_names` : ""];
      errors.push({ field: `metrics[${i}].label_names`, message: `label_names must match the dimensions of instance '${m.instanceName}': ${parts.filter(Boolean).join("; ")}` });
    }
  });
}

/** Clock used by handlers built through the registry (tests build {@link PrometheusHandler} with their own). */
export interface PrometheusBuildOptions {
  readonly now?: () => number;
}

/** The builder; `opts.now` lets an embedder (or a test) inject the expiry clock. */
export function newPrometheusBuilder(opts: PrometheusBuildOptions = {}): HandlerBuilder {
  return {
    validate: (input: BuilderInput) => {
      const errors: FieldError[] = [];
      const cfg = parsePrometheusConfig(input.params, errors);
      checkRouted(cfg.metrics, input.types.get("metric") ?? new Map(), errors);
      return errors;
    },
    build: async (input: BuilderInput, env: Env) => {
      const cfg = parsePrometheusConfig(input.params, []);
      let release: (() => Promise<void>) | undefined;
      const handler = new PrometheusHandler(cfg, { now: opts.now, onClose: () => release?.() });
      if (cfg.address !== "") {
        const lease = await attachExposition(cfg.address, { name: env.handlerName, contentType: handler.contentType, render: () => handler.metrics() });
        release = lease.release;
        handler.endpoint = lease.address;
      }
      if (cfg.expiration) env.scheduleInterval(() => void handler.sweepExpired(), cfg.expiration.checkIntervalMs);
      return handler;
    },
  };
}

/** `prometheus` adapter (Mixer 7.1): metric instances as Prometheus counters, gauges and histograms. */
export const prometheusAdapter: AdapterInfo = {
  name: "prometheus",
  description: "Publishes metric instances as Prometheus counters, gauges and histograms (own registry, HTTP /metrics)",
  supportedTemplates: ["metric"],
  defaultConfig: PROMETHEUS_DEFAULTS,
  newBuilder: () => newPrometheusBuilder(),
};
