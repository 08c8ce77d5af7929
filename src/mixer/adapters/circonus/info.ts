import type { AdapterInfo, BuilderInput, FieldError, HandlerBuilder } from "../../adapter/types.js";
import { CIRCONUS_DEFAULTS, parseCirconusConfig } from "./config.js";
import { CirconusHandler } from "./handler.js";

/** Params problems plus Mixer's two-way check between `metrics` and the routed metric instances. */
export function validateCirconus(input: BuilderInput): FieldError[] {
  const errors: FieldError[] = [];
  const cfg = parseCirconusConfig(input.params, errors);
  const routed = input.types.get("metric") ?? new Map();
  for (const fqn of routed.keys()) {
    if (!cfg.metricPaths.has(fqn)) errors.push({ field: "metrics", message: `missing metric configuration ${fqn}` });
  }
  for (const [fqn, path] of cfg.metricPaths) {
    if (!routed.has(fqn)) errors.push({ field: `${path}.name`, message: `missing metric type for ${fqn}: no metric instance of that name is routed to this handler` });
  }
  return errors;
}

function newBuilder(): HandlerBuilder {
  return {
    validate: validateCirconus,
    build: (input, env) => {
      const cfg = parseCirconusConfig(input.params, []);
      const h = new CirconusHandler(cfg, env.logger);
      env.scheduleInterval(() => h.tick(), cfg.submissionIntervalMs);
      return h;
    },
  };
}

/** `circonus` adapter (Mixer 7.3): metrics and log-linear histograms submitted to a Circonus HTTPTrap. */
export const circonusAdapter: AdapterInfo = {
  name: "circonus",
  description: "Emit metrics to a Circonus HTTPTrap check (counters, gauges, log-linear histograms)",
  supportedTemplates: ["metric"],
  defaultConfig: CIRCONUS_DEFAULTS,
  newBuilder,
};
