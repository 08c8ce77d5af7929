import type { AdapterInfo, HandlerBuilder } from "../../adapter/types.js";
import { readFields } from "../../adapter/params.js";
import { NoopHandler } from "./handler.js";

/** Every template this core knows: noop accepts them all. */
const ALL_TEMPLATES = ["metric", "logentry", "tracespan", "reportnothing", "checknothing", "listentry", "quota", "attributes"];

function newBuilder(): HandlerBuilder {
  return {
    validate: (input) => {
      const errors: { field: string; message: string }[] = [];
      readFields(input.params, "", [], errors);
      return errors;
    },
    build: () => new NoopHandler(),
  };
}

/** `noop` adapter (Mixer 7.9): useful for benchmarks and for disabling a route. */
export const noopAdapter: AdapterInfo = {
  name: "noop",
  description: "Does nothing; accepts every template",
  supportedTemplates: ALL_TEMPLATES,
  defaultConfig: {},
  newBuilder,
};
