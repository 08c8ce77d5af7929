import { describeInput, echo, ValueType, type AttributeDescriptorFinder } from "../attribute/index.js";
import { compileExpression, type CompiledExpression } from "../expr/index.js";
import type { FieldError } from "../adapter/types.js";
import type { ConfigError } from "./errors.js";
import { resolveReference } from "./names.js";
import { errorAt, type Resource } from "./resource.js";
import { compileSampling, type SamplingDeps } from "./sampling.js";
import { splitFieldPath } from "./handlers.js";
import { HEADER_FIELDS, readHeaderOperations } from "./header-operations.js";
import type { ActionConfig, HandlerConfig, InstanceConfig, RuleConfig } from "./types.js";

/** What rule validation can see: the valid handlers and instances, the finder, sampling deps. */
export interface RuleContext {
  readonly finder: AttributeDescriptorFinder;
  readonly handlers: ReadonlyMap<string, HandlerConfig>;
  readonly instances: ReadonlyMap<string, InstanceConfig>;
  /** Handler/instance FQNs that exist in config but are invalid (no duplicate "not found" noise). */
  readonly invalid: ReadonlySet<string>;
  readonly sampling: SamplingDeps;
}

const SPEC_FIELDS = ["match", "actions", "sampling", ...Object.keys(HEADER_FIELDS)];

/** Validates a rule: match (BOOL), actions (resolved, template support), sampling, header operations. Undefined when unusable. */
export function readRule(r: Resource, ctx: RuleContext, errors: ConfigError[]): RuleConfig | undefined {
  for (const k of Object.keys(r.spec)) {
    if (!SPEC_FIELDS.includes(k)) errors.push(errorAt(r.source, r, ["spec", k], "unknown field (allowed: match, actions, sampling, requestHeaderOperations, responseHeaderOperations)"));
  }
  const n0 = errors.length;
  const headerOperations = readHeaderOperations(r, ctx.finder, errors);
  const headersOk = errors.length === n0;
  const matchText = typeof r.spec.match === "string" ? r.spec.match.trim() : "";
  if (r.spec.match !== undefined && typeof r.spec.match !== "string") errors.push(errorAt(r.source, r, ["spec", "match"], "match must be a string expression"));
  const match = compileMatch(r, matchText, ctx, errors);
  const actions = readActions(r, ctx, errors);
  const samplingErrors: FieldError[] = [];
  const sampler = compileSampling(r.spec.sampling, ctx.finder, ctx.sampling, samplingErrors);
  for (const e of samplingErrors) errors.push(errorAt(r.source, r, ["spec", "sampling", ...splitFieldPath(e.field)], e.message));
  if (match === null || samplingErrors.length > 0 || !headersOk) return undefined;
  if (actions.length === 0 && headerOperations.length === 0) {
    errors.push(errorAt(r.source, r, ["spec", "actions"], "No valid actions found in rule"));
    return undefined;
  }
  return { fqn: r.fqn, namespace: r.namespace, matchText, match, actions, sampler, headerOperations, resource: r };
}

/** `undefined` = always true; `null` = invalid. */
function compileMatch(r: Resource, text: string, ctx: RuleContext, errors: ConfigError[]): CompiledExpression | undefined | null {
  if (text === "" || text === "true") return undefined;
  try {
    const e = compileExpression(text, ctx.finder);
    if (e.type === ValueType.BOOL) return e;
    errors.push(errorAt(r.source, r, ["spec", "match"], "expression does not return a boolean"));
  } catch (e) {
    errors.push(errorAt(r.source, r, ["spec", "match"], (e as Error).message));
  }
  return null;
}

function readActions(r: Resource, ctx: RuleContext, errors: ConfigError[]): ActionConfig[] {
  const raw = r.spec.actions;
  if (raw !== undefined && !Array.isArray(raw)) {
    errors.push(errorAt(r.source, r, ["spec", "actions"], "actions must be a list"));
    return [];
  }
  const out: ActionConfig[] = [];
  (raw ?? []).forEach((a: unknown, i: number) => {
    const action = readAction(r, a, i, ctx, errors);
    if (action) out.push(action);
  });
  return out;
}

function readAction(r: Resource, a: unknown, i: number, ctx: RuleContext, errors: ConfigError[]): ActionConfig | undefined {
  const at = (path: (string | number)[], msg: string): void => void errors.push(errorAt(r.source, r, ["spec", "actions", i, ...path], msg));
  const o = (typeof a === "object" && a !== null ? a : {}) as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!["handler", "instances", "name"].includes(k)) at([k], "unknown field (allowed: handler, instances, name)");
  const exists = (f: string): boolean => ctx.handlers.has(f) || ctx.invalid.has(f);
  const href = typeof o.handler === "string" ? o.handler : "";
  const handlerFqn = href ? resolveReference(href, "handler", r.namespace, exists) : undefined;
  const handler = handlerFqn ? ctx.handlers.get(handlerFqn) : undefined;
  if (!href) at(["handler"], "handler is required");
  else if (!handlerFqn) at(["handler"], `Handler not found: handler='${echo(href)}'`);
  const refs = Array.isArray(o.instances) ? o.instances : [];
  if (!Array.isArray(o.instances) || refs.length === 0) at(["instances"], "instances must be a non-empty list");
  const instances: string[] = [];
  refs.forEach((ref: unknown, j: number) => {
    const fqn = typeof ref === "string" ? resolveReference(ref, "instance", r.namespace, (f) => ctx.instances.has(f) || ctx.invalid.has(f)) : undefined;
    const inst = fqn ? ctx.instances.get(fqn) : undefined;
    if (!fqn) at(["instances", j], `Instance not found: instance='${typeof ref === "string" ? echo(ref) : describeInput(ref)}'`);
    else if (instances.includes(fqn)) at(["instances", j], `action specified the same instance multiple times: instance='${fqn}'`);
    else if (inst && handler && !handler.adapter.supportedTemplates.includes(inst.compiled.template.name)) {
      at(["instances", j], `instance '${fqn}' is of template '${inst.compiled.template.name}' which is not supported by handler '${handler.fqn}'`);
    } else if (inst) instances.push(fqn);
  });
  if (!handler) return undefined;
  if (instances.length === 0) {
    if (refs.length > 0) at(["instances"], "No valid instances found");
    return undefined;
  }
  const name = typeof o.name === "string" ? o.name : "";
  return { handler: handler.fqn, instances, name };
}
