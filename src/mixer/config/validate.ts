import type { AttributeManifest } from "../attribute/index.js";
import { AdapterRegistry } from "../adapter/registry.js";
import { BUILTIN_ADAPTERS } from "../adapters/builtin.js";
import { getTemplate } from "../template/templates.js";
import { ConfigError } from "./errors.js";
import { buildFinder } from "./manifests.js";
import { readHandler, routedTypes, validateHandler } from "./handlers.js";
import { readInstance } from "./instances.js";
import { errorAt, readResource, type Resource } from "./resource.js";
import { readRule } from "./rules.js";
import type { SamplingDeps } from "./sampling.js";
import type { LoadedSource } from "./source.js";
import type { HandlerConfig, InstanceConfig, RuleConfig, Snapshot } from "./types.js";

/** Options for building a snapshot. */
export interface SnapshotOptions {
  /** Adapters available to `compiledAdapter` (default: the built-ins). */
  readonly registry?: AdapterRegistry;
  /** Namespace of resources without one, whose rules apply everywhere (default `istio-system`). */
  readonly defaultNamespace?: string;
  /** Manifests known without config (default: istioproxy, kubernetes, functrace). */
  readonly builtinManifests?: readonly AttributeManifest[];
  /** Randomness/clock for rule sampling (tests). */
  readonly sampling?: Partial<SamplingDeps>;
}

let nextId = 1;

/**
 * Validates loaded config into an immutable snapshot: manifests → handlers → instances →
 * rules → adapter validation. Best effort: the snapshot holds everything valid, and
 * `errors` lists every problem with file, document, line, resource and field.
 */
export function buildSnapshot(source: LoadedSource, opts: SnapshotOptions = {}): Snapshot {
  const registry = opts.registry ?? new AdapterRegistry(BUILTIN_ADAPTERS);
  const defaultNamespace = opts.defaultNamespace ?? "istio-system";
  const errors: ConfigError[] = [...source.errors];
  const kinds = { isAdapter: (k: string) => registry.getAdapter(k) !== undefined, isTemplate: (k: string) => getTemplate(k) !== undefined };
  const resources = dedupe(source.docs.map((d) => readResource(d, defaultNamespace, kinds, errors)), errors);
  const finder = buildFinder(resources, errors, opts.builtinManifests);
  const invalid = new Set<string>();
  const handlers = collect(resources, "handler", (r) => readHandler(r, registry, errors), invalid);
  const instances = collect(resources, "instance", (r) => readInstance(r, finder, errors), invalid);
  const sampling: SamplingDeps = { random: opts.sampling?.random ?? Math.random, now: opts.sampling?.now ?? Date.now };
  const ctx = { finder, handlers, instances, invalid, sampling };
  let rules = resources.filter((r) => r.kind === "rule").flatMap((r) => readRule(r, ctx, errors) ?? []);
  for (const h of [...handlers.values()]) {
    if (!validateHandler(h, routedTypes(h.fqn, rules, instances), errors)) handlers.delete(h.fqn);
  }
  rules = pruneRules(rules, handlers, errors);
  return Object.freeze({ id: nextId++, defaultNamespace, finder, handlers, instances, rules: Object.freeze(rules), errors: Object.freeze(errors) });
}

function dedupe(list: (Resource | undefined)[], errors: ConfigError[]): Resource[] {
  const seen = new Map<string, Resource>();
  for (const r of list) {
    if (!r) continue;
    const key = `${r.kind}/${r.fqn}`;
    const prev = seen.get(key);
    if (prev) errors.push(errorAt(r.source, r, ["metadata", "name"], `duplicate ${r.kind} '${r.fqn}' (first defined in ${prev.source.file}#${prev.source.index})`));
    else seen.set(key, r);
  }
  return [...seen.values()];
}

function collect<T extends HandlerConfig | InstanceConfig>(
  resources: readonly Resource[],
  kind: "handler" | "instance",
  read: (r: Resource) => T | undefined,
  invalid: Set<string>,
): Map<string, T> {
  const out = new Map<string, T>();
  for (const r of resources) {
    if (r.kind !== kind) continue;
    const v = read(r);
    if (v) out.set(v.fqn, v);
    else invalid.add(r.fqn);
  }
  return out;
}

/** Drops actions whose handler failed adapter validation; a rule left without actions is dropped. */
function pruneRules(rules: RuleConfig[], handlers: ReadonlyMap<string, HandlerConfig>, errors: ConfigError[]): RuleConfig[] {
  const out: RuleConfig[] = [];
  for (const rule of rules) {
    const actions = rule.actions.filter((a) => handlers.has(a.handler));
    if (actions.length === rule.actions.length) out.push(rule);
    else if (actions.length > 0 || (rule.headerOperations?.length ?? 0) > 0) out.push({ ...rule, actions });
    else errors.push(errorAt(rule.resource.source, rule.resource, ["spec", "actions"], "No valid actions found in rule (its handlers are invalid)"));
  }
  return out;
}

/** Snapshot errors as located strings (for printing). */
export function formatErrors(errors: readonly ConfigError[]): string[] {
  return errors.map((e) => e.toString());
}

export { ConfigError };
