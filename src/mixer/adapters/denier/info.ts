import type { AdapterInfo, FieldError, HandlerBuilder } from "../../adapter/types.js";
import { StatusCode } from "../../adapter/status.js";
import { DenierHandler, parseDenierConfig } from "./handler.js";

function newBuilder(): HandlerBuilder {
  return {
    validate: (input) => {
      const errors: FieldError[] = [];
      parseDenierConfig(input.params, errors);
      return errors;
    },
    build: (input) => new DenierHandler(parseDenierConfig(input.params, [])),
  };
}

/** `denier` adapter (Mixer 7.6). */
export const denierAdapter: AdapterInfo = {
  name: "denier",
  description: "Rejects every Check with a configured status",
  supportedTemplates: ["checknothing", "listentry", "quota"],
  defaultConfig: { status: { code: StatusCode.FAILED_PRECONDITION }, valid_duration: "5s", valid_use_count: 1000 },
  newBuilder,
};
