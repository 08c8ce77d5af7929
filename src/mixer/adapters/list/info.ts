import type { AdapterInfo, FieldError, HandlerBuilder } from "../../adapter/types.js";
import { LIST_DEFAULTS, parseListConfig } from "./config.js";
import { ListHandler } from "./handler.js";

function newBuilder(): HandlerBuilder {
  return {
    validate: (input) => {
      const errors: FieldError[] = [];
      parseListConfig(input.params, errors);
      return errors;
    },
    build: async (input, env) => {
      const handler = new ListHandler(parseListConfig(input.params, []));
      const cfg = parseListConfig(input.params, []);
      if (cfg.providerUrl !== "") {
        await handler.refresh(); // first list before the handler goes live
        env.scheduleInterval(() => handler.refresh(), cfg.refreshIntervalMs);
      }
      return handler;
    },
  };
}

/** `listchecker` adapter (Mixer 7.5): whitelists/blacklists of strings, IP ranges or regexes. */
export const listAdapter: AdapterInfo = {
  name: "listchecker",
  description: "Checks a value against a whitelist or blacklist (strings, IP ranges, regexes)",
  supportedTemplates: ["listentry"],
  defaultConfig: LIST_DEFAULTS,
  newBuilder,
};
