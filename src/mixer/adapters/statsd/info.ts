import { StatsD } from "hot-shots";
import type { AdapterInfo, BuilderInput, FieldError, HandlerBuilder } from "../../adapter/types.js";
import { parseStatsdConfig, STATSD_DEFAULTS, type StatsdConfig } from "./config.js";
import { StatsdHandler } from "./handler.js";

/** Every problem with the params and with the name templates of the routed instances. */
export function validateStatsd(input: BuilderInput): FieldError[] {
  const errors: FieldError[] = [];
  const cfg = parseStatsdConfig(input.params, errors);
  const routed = input.types.get("metric") ?? new Map();
  for (const [fqn, info] of cfg.metrics) {
    const types = routed.get(fqn);
    if (types === undefined || info.nameTemplate === undefined) continue; // entries for other instances are ignored (Mixer)
    const declared = Object.keys((types.dimensions ?? {}) as object);
    for (const d of info.nameTemplate.dims) {
      if (!declared.includes(d)) {
        errors.push({
          field: `metrics[${fqn}].name_template`,
          message: `template refers to dimension '${d}' that instance ${fqn} does not declare (declared: ${declared.join(", ") || "none"})`,
        });
      }
    }
  }
  return errors;
}

/** Creates the buffered UDP client for a config; transport errors go to `onError`. */
export function createStatsdClient(cfg: StatsdConfig, onError: (e: Error) => void): StatsD {
  const buffered = cfg.flushMs > 0;
  return new StatsD({
    host: cfg.host,
    port: cfg.port,
    prefix: cfg.prefix,
    protocol: "udp",
    maxBufferSize: buffered ? cfg.flushBytes : 0,
    bufferFlushInterval: buffered ? cfg.flushMs : undefined,
    sampleRate: cfg.samplingRate > 0 && cfg.samplingRate < 1 ? cfg.samplingRate : undefined,
    errorHandler: onError,
  });
}

function newBuilder(): HandlerBuilder {
  return {
    validate: validateStatsd,
    build: (input, env) => {
      const cfg = parseStatsdConfig(input.params, []);
      const box: { handler?: StatsdHandler } = {};
      const client = createStatsdClient(cfg, (e) => box.handler?.onTransportError(e));
      box.handler = new StatsdHandler(cfg, client, env.logger);
      return box.handler;
    },
  };
}

/** `statsd` adapter (Mixer 7.2): metric instances as statsd counters, gauges and timers over UDP. */
export const statsdAdapter: AdapterInfo = {
  name: "statsd",
  description: "Produces statsd metrics (counters, gauges, timers) over UDP",
  supportedTemplates: ["metric"],
  defaultConfig: STATSD_DEFAULTS,
  newBuilder,
};
