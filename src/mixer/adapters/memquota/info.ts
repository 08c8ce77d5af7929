import type { AdapterInfo, FieldError, HandlerBuilder } from "../../adapter/types.js";
import { MEMQUOTA_DEFAULTS, parseMemQuotaConfig } from "./config.js";
import { MemQuotaHandler } from "./handler.js";

function newBuilder(): HandlerBuilder {
  return {
    validate: (input) => {
      const errors: FieldError[] = [];
      const cfg = parseMemQuotaConfig(input.params, errors);
      const names = new Set(cfg.quotas.map((q) => q.name));
      for (const fqn of input.types.get("quota")?.keys() ?? []) {
        if (!names.has(fqn)) errors.push({ field: "quotas", message: `did not find limit defined for quota ${fqn}` });
      }
      return errors;
    },
    build: (input) => new MemQuotaHandler(parseMemQuotaConfig(input.params, [])),
  };
}

/** `memquota` adapter (Mixer 7.7): in-process counting quotas and rolling-window rate limits. */
export const memquotaAdapter: AdapterInfo = {
  name: "memquota",
  description: "In-memory quotas: concurrent counters and rolling-window rate limits",
  supportedTemplates: ["quota"],
  defaultConfig: MEMQUOTA_DEFAULTS,
  newBuilder,
};
