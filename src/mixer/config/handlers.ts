import { echo } from "../attribute/index.js";
import type { AdapterRegistry } from "../adapter/registry.js";
import type { InstanceTypes } from "../adapter/types.js";
import { isPlainObject } from "../adapter/params.js";
import type { ConfigError } from "./errors.js";
import { errorAt, type Resource } from "./resource.js";
import type { HandlerConfig, InstanceConfig, RuleConfig } from "./types.js";

/** Reads a handler resource: adapter lookup and params merged (shallowly) over the adapter defaults. */
export function readHandler(r: Resource, registry: AdapterRegistry, errors: ConfigError[]): HandlerConfig | undefined {
  const legacy = r.legacy?.adapter;
  const n0 = errors.length;
  if (!legacy) {
    for (const k of Object.keys(r.spec)) {
      if (k === "adapter" || k === "connection") errors.push(errorAt(r.source, r, ["spec", k], "out-of-process adapters are not supported; use compiledAdapter"));
      else if (k !== "compiledAdapter" && k !== "compiled_adapter" && k !== "params") errors.push(errorAt(r.source, r, ["spec", k], "unknown field (allowed: compiledAdapter, params)"));
    }
  }
  const name = legacy ?? r.spec.compiledAdapter ?? r.spec.compiled_adapter;
  const adapter = typeof name === "string" ? registry.getAdapter(name) : undefined;
  if (typeof name !== "string" || name === "") errors.push(errorAt(r.source, r, ["spec", "compiledAdapter"], "compiledAdapter is required"));
  else if (adapter === undefined) errors.push(errorAt(r.source, r, ["spec", "compiledAdapter"], `unknown adapter '${echo(name)}' (known: ${registry.names().join(", ")})`));
  const params = legacy ? r.spec : (r.spec.params ?? {});
  if (!isPlainObject(params)) errors.push(errorAt(r.source, r, ["spec", "params"], "params must be an object"));
  if (errors.length > n0 || adapter === undefined || !isPlainObject(params)) return undefined;
  const defaults = isPlainObject(adapter.defaultConfig) ? adapter.defaultConfig : {};
  return { fqn: r.fqn, namespace: r.namespace, adapter, params: { ...defaults, ...params }, resource: r };
}

/** Routed instance types per template for one handler (what the adapter builder is told). */
export function routedTypes(
  handler: string,
  rules: readonly RuleConfig[],
  instances: ReadonlyMap<string, InstanceConfig>,
): Map<string, Map<string, InstanceTypes>> {
  const out = new Map<string, Map<string, InstanceTypes>>();
  for (const rule of rules) {
    for (const a of rule.actions) {
      if (a.handler !== handler) continue;
      for (const fqn of a.instances) {
        const inst = instances.get(fqn);
        if (!inst) continue;
        const t = inst.compiled.template.name;
        if (!out.has(t)) out.set(t, new Map());
        out.get(t)!.set(fqn, inst.compiled.types);
      }
    }
  }
  return out;
}

/** Runs the adapter's `validate()`; returns false (with located errors) when the handler is unusable. */
export function validateHandler(
  h: HandlerConfig,
  types: Map<string, Map<string, InstanceTypes>>,
  errors: ConfigError[],
): boolean {
  let problems;
  try {
    problems = h.adapter.newBuilder().validate({ params: h.params, types });
  } catch (e) {
    problems = [{ field: "", message: `adapter validation failed: ${(e as Error).message}` }];
  }
  const base = h.resource.legacy ? ["spec"] : ["spec", "params"];
  for (const p of problems) {
    const path = [...base, ...splitFieldPath(p.field)];
    errors.push(errorAt(h.resource.source, h.resource, path, p.message));
  }
  return problems.length === 0;
}

/** `quotas[0].name` → `["quotas", 0, "name"]`. */
export function splitFieldPath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[([^\]]*)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
  }
  return out;
}
