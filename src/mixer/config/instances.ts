import { echo } from "../attribute/index.js";
import type { AttributeDescriptorFinder } from "../attribute/index.js";
import { isPlainObject } from "../adapter/params.js";
import { getTemplate } from "../template/templates.js";
import { compileInstance, type FieldProblem } from "../template/instance-builder.js";
import { compileBindings } from "../template/bindings.js";
import { Variety } from "../template/types.js";
import type { ConfigError } from "./errors.js";
import { errorAt, type Resource } from "./resource.js";
import type { InstanceConfig } from "./types.js";

const SPEC_FIELDS = ["compiledTemplate", "compiled_template", "params", "attributeBindings", "attribute_bindings"];

/** Reads an instance resource: template lookup and compiled, type-checked field expressions. */
export function readInstance(r: Resource, finder: AttributeDescriptorFinder, errors: ConfigError[]): InstanceConfig | undefined {
  const legacy = r.legacy?.template;
  if (!legacy) {
    for (const k of Object.keys(r.spec)) {
      if (k === "template") errors.push(errorAt(r.source, r, ["spec", k], "out-of-process templates are not supported; use compiledTemplate"));
      else if (!SPEC_FIELDS.includes(k)) errors.push(errorAt(r.source, r, ["spec", k], "unknown field (allowed: compiledTemplate, params, attributeBindings)"));
    }
  }
  const name = legacy ?? r.spec.compiledTemplate ?? r.spec.compiled_template;
  const template = typeof name === "string" ? getTemplate(name) : undefined;
  if (typeof name !== "string" || name === "") {
    errors.push(errorAt(r.source, r, ["spec", "compiledTemplate"], "compiledTemplate is required"));
    return undefined;
  }
  if (template === undefined) {
    errors.push(errorAt(r.source, r, ["spec", "compiledTemplate"], `unknown template '${echo(name)}'`));
    return undefined;
  }
  const base = legacy ? ["spec"] : ["spec", "params"];
  const rawParams = legacy ? withoutBindings(r.spec) : (r.spec.params ?? {});
  if (!isPlainObject(rawParams)) {
    errors.push(errorAt(r.source, r, base, "params must be an object"));
    return undefined;
  }
  const problems: FieldProblem[] = [];
  const compiled = compileInstance(r.fqn, template, rawParams, finder, problems);
  report(r, base, problems, errors);
  const bindingProblems: FieldProblem[] = [];
  const rawBindings = r.spec.attributeBindings ?? r.spec.attribute_bindings;
  const bindings = compileBindings(rawBindings, finder, bindingProblems);
  if (rawBindings !== undefined && template.variety !== Variety.ATTRIBUTE_GENERATOR) {
    bindingProblems.push({ path: [], message: `only attribute-generator templates take attributeBindings (template '${template.name}')` });
  }
  report(r, ["spec", "attributeBindings"], bindingProblems, errors);
  if (!compiled || bindingProblems.length > 0) return undefined;
  return { fqn: r.fqn, namespace: r.namespace, compiled, params: rawParams, bindings, resource: r };
}

function withoutBindings(spec: Record<string, unknown>): Record<string, unknown> {
  const { attributeBindings: _a, attribute_bindings: _b, ...rest } = spec;
  return rest;
}

function report(r: Resource, base: readonly (string | number)[], problems: readonly FieldProblem[], errors: ConfigError[]): void {
  for (const p of problems) errors.push(errorAt(r.source, r, [...base, ...p.path], p.message));
}
