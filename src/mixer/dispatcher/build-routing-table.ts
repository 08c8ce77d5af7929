import type { Handler } from "../adapter/types.js";
import type { InstanceConfig, RuleConfig, Snapshot } from "../config/types.js";
import { Variety, type TemplateInfo } from "../template/types.js";
import { RoutingTable, type Destination, type Destinations, type InstanceGroup } from "./routing-table.js";

/** A built handler as the routing table needs it. */
export interface BuiltHandler {
  readonly handler: Handler;
  readonly adapterName: string;
}

interface MutableDestination {
  id: number;
  handlerFqn: string;
  adapterName: string;
  handler: Handler;
  template: TemplateInfo;
  groups: Map<number, { rule: RuleConfig; ruleIndex: number; instances: InstanceConfig[]; actionNames: string[] }>;
}

/**
 * Compiles a snapshot's rules into a routing table (istio routing/builder.go): destinations
 * per (handler, template) per namespace, builders grouped per rule, default-namespace
 * destinations prepended to every other namespace. Actions whose handler was not built are
 * skipped (`onSkip` is told why).
 */
export function buildRoutingTable(
  snapshot: Snapshot,
  handlers: ReadonlyMap<string, BuiltHandler>,
  onSkip: (message: string) => void = () => undefined,
): RoutingTable {
  const byNs = new Map<Variety, Map<string, Map<string, MutableDestination>>>();
  let nextId = 0;
  snapshot.rules.forEach((rule, ruleIndex) => {
    for (const action of rule.actions) {
      const built = handlers.get(action.handler);
      if (!built) {
        onSkip(`rule '${rule.fqn}': Unable to find a handler for action (handler '${action.handler}' is not available)`);
        continue;
      }
      for (const fqn of action.instances) {
        const inst = snapshot.instances.get(fqn);
        if (!inst) continue;
        const t = inst.compiled.template;
        const variety = t.variety === Variety.CHECK_WITH_OUTPUT ? Variety.CHECK : t.variety;
        const nsMap = getOrSet(getOrSet(byNs, variety, () => new Map()), rule.namespace, () => new Map());
        const key = `${action.handler}\u0000${t.name}`;
        const dest = getOrSet(nsMap, key, () => ({ id: nextId++, handlerFqn: action.handler, adapterName: built.adapterName, handler: built.handler, template: t, groups: new Map() }));
        const g = getOrSet(dest.groups, ruleIndex, () => ({ rule, ruleIndex, instances: [], actionNames: [] }));
        if (!g.instances.includes(inst)) {
          g.instances.push(inst);
          g.actionNames.push(action.name);
        }
      }
    }
  });
  return finish(byNs, snapshot.defaultNamespace, nextId, snapshot.rules.length);
}

function finish(
  byNs: Map<Variety, Map<string, Map<string, MutableDestination>>>,
  defaultNs: string,
  count: number,
  ruleCount: number,
): RoutingTable {
  const byVariety = new Map<Variety, Map<string, Destinations>>();
  const defaults = new Map<Variety, Destinations>();
  for (const [variety, nsMap] of byNs) {
    const frozen = new Map<string, Destination[]>();
    for (const [ns, dests] of nsMap) frozen.set(ns, [...dests.values()].map(freezeDestination));
    const dflt = frozen.get(defaultNs) ?? [];
    defaults.set(variety, Object.freeze(dflt));
    const others = new Map<string, Destinations>();
    for (const [ns, list] of frozen) if (ns !== defaultNs) others.set(ns, Object.freeze([...dflt, ...list]));
    byVariety.set(variety, others);
  }
  return new RoutingTable(byVariety, defaults, count, ruleCount);
}

function freezeDestination(d: MutableDestination): Destination {
  const groups: InstanceGroup[] = [...d.groups.values()].map((g) =>
    Object.freeze({
      ruleFqn: g.rule.fqn,
      ruleIndex: g.ruleIndex,
      match: g.rule.match,
      sampler: g.rule.sampler,
      instances: Object.freeze(g.instances),
      actionNames: Object.freeze(g.actionNames),
    }),
  );
  const label = `${d.template.name}:${d.handlerFqn}(${d.adapterName})`;
  return Object.freeze({ id: d.id, handlerFqn: d.handlerFqn, adapterName: d.adapterName, label, handler: d.handler, template: d.template, groups: Object.freeze(groups) });
}

function getOrSet<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) {
    v = make();
    m.set(k, v);
  }
  return v;
}
