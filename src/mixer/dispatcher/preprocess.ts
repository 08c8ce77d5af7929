import { MutableBag, type Bag, type Value } from "../attribute/index.js";
import type { ReferencedAttributes } from "../expr/index.js";
import { applyBindings } from "../template/bindings.js";
import { Variety } from "../template/types.js";
import { invokeGuarded } from "./dispatch-state.js";
import type { RoutingContext } from "./routing-context.js";
import { buildGroup, groupMatches, selectNamespace, type DispatchStats } from "./session.js";

/**
 * Preprocess (§6.7): runs attribute generators and returns a child bag of `bag` holding
 * their outputs (mapped through `attributeBindings`; input attributes win). Any failure
 * fails the whole request with an AggregateError "preprocessing attributes failed".
 */
export async function preprocess(
  ctx: RoutingContext,
  bag: Bag,
  stats: DispatchStats,
  timeoutMs: number,
  refs?: ReferencedAttributes,
): Promise<MutableBag> {
  const out = new MutableBag(bag);
  if (ctx.table.isEmpty(Variety.ATTRIBUTE_GENERATOR)) return out;
  const errors: Error[] = [];
  const calls: Promise<void>[] = [];
  for (const dest of ctx.table.get(Variety.ATTRIBUTE_GENERATOR, selectNamespace(bag))) {
    for (const group of dest.groups) {
      if (!groupMatches(group, bag, stats, undefined, refs)) continue;
      const built = buildGroup(group, bag, stats, errors, refs);
      built.forEach((inst, i) => {
        const cfg = group.instances.find((c) => c.fqn === inst.name) ?? group.instances[i];
        const label = dest.label;
        stats.dispatches++;
        const gen = dest.handler.generateAttributes;
        const call = invokeGuarded(label, () => {
          if (typeof gen !== "function") throw new Error("adapter does not actually support template: template='" + dest.template.name + "'");
          return gen.call(dest.handler, dest.template.name, inst, bag);
        }, timeoutMs).then((r) => {
          if (!r.ok) {
            stats.dispatchErrors++;
            errors.push(r.error);
            return;
          }
          const { values, errors: bindErrors } = applyBindings(cfg.bindings, (r.value ?? {}) as Record<string, Value>);
          for (const e of bindErrors) errors.push(new Error(`${label}: ${e}`));
          for (const [name, v] of values) if (!out.has(name)) out.set(name, v);
        });
        calls.push(call);
      });
    }
  }
  await Promise.all(calls);
  if (errors.length > 0) throw new AggregateError(errors, `preprocessing attributes failed: ${errors.map((e) => e.message).join("; ")}`);
  return out;
}
