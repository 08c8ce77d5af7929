export { Variety } from "./types.js";
export type { FieldSpec, FieldType, TemplateInfo } from "./types.js";
export { TEMPLATES, getTemplate, METRIC, LOGENTRY, TRACESPAN, REPORTNOTHING, CHECKNOTHING, LISTENTRY, QUOTA, ATTRIBUTES } from "./templates.js";
export { compileInstance, InstanceBuildError } from "./instance-builder.js";
export type { CompiledInstance, FieldProblem } from "./instance-builder.js";
export type { AttributeBinding } from "./bindings.js";
