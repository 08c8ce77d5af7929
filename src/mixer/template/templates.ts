import { ValueType } from "../attribute/index.js";
import { Variety, type FieldSpec, type FieldType, type TemplateInfo } from "./types.js";

function f(protoName: string, type: FieldType, map = false): FieldSpec {
  const name = protoName.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return { name, protoName, type, map };
}

const S = ValueType.STRING;
const I = ValueType.INT64;
const B = ValueType.BOOL;
const T = ValueType.TIMESTAMP;
const IP = ValueType.IP_ADDRESS;
const V = "VALUE" as const;

function template(name: string, variety: Variety, description: string, fields: FieldSpec[]): TemplateInfo {
  return Object.freeze({ name, variety, description, fields: Object.freeze(fields) });
}

/** `metric` (REPORT): a measurement with dimensions. */
export const METRIC = template("metric", Variety.REPORT, "A measurement with dimensions", [
  f("value", V),
  f("dimensions", V, true),
  f("monitored_resource_type", S),
  f("monitored_resource_dimensions", V, true),
]);

/** `logentry` (REPORT): one log record. */
export const LOGENTRY = template("logentry", Variety.REPORT, "A log record", [
  f("variables", V, true),
  f("timestamp", T),
  f("severity", S),
  f("monitored_resource_type", S),
  f("monitored_resource_dimensions", V, true),
]);

/** `tracespan` (REPORT): one span, fields as in Mixer's tracespan template. */
export const TRACESPAN = template("tracespan", Variety.REPORT, "A distributed-tracing span", [
  f("trace_id", S),
  f("span_id", S),
  f("parent_span_id", S),
  f("span_name", S),
  f("start_time", T),
  f("end_time", T),
  f("span_tags", V, true),
  { name: "httpStatusCode", protoName: "http_status_code", type: I, map: false },
  f("client_span", B),
  f("rewrite_client_span_id", B),
  f("source_name", S),
  f("source_ip", IP),
  f("destination_name", S),
  f("destination_ip", IP),
  f("request_size", I),
  f("request_total_size", I),
  f("response_size", I),
  f("response_total_size", I),
  f("api_protocol", S),
]);

/** `reportnothing` (REPORT): no fields. */
export const REPORTNOTHING = template("reportnothing", Variety.REPORT, "A report with no data", []);

/** `checknothing` (CHECK): no fields. */
export const CHECKNOTHING = template("checknothing", Variety.CHECK, "A check with no data", []);

/** `listentry` (CHECK): the value to look up in a list. */
export const LISTENTRY = template("listentry", Variety.CHECK, "A value to check against a list", [f("value", V)]);

/** `quota` (QUOTA): the dimensions a quota is kept for. */
export const QUOTA = template("quota", Variety.QUOTA, "A quota allocation request", [f("dimensions", V, true)]);

/**
 * `attributes` (ATTRIBUTE_GENERATOR): generic input map for attribute-producing adapters;
 * their output fields are mapped back to attributes by the instance's `attributeBindings`.
 */
export const ATTRIBUTES = template("attributes", Variety.ATTRIBUTE_GENERATOR, "Inputs of an attribute generator", [
  f("inputs", V, true),
]);

/** Every compiled-in template, by name. */
export const TEMPLATES: ReadonlyMap<string, TemplateInfo> = new Map(
  [METRIC, LOGENTRY, TRACESPAN, REPORTNOTHING, CHECKNOTHING, LISTENTRY, QUOTA, ATTRIBUTES].map((t) => [t.name, t]),
);

/** The template named `name`, or `undefined`. */
export function getTemplate(name: string): TemplateInfo | undefined {
  return TEMPLATES.get(name);
}
