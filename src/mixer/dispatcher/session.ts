import type { Bag } from "../attribute/index.js";
import type { ReferencedAttributes } from "../expr/index.js";
import type { Instance } from "../adapter/types.js";
import type { InstanceGroup } from "./routing-table.js";

/** Counters shared by all sessions of a dispatcher. */
export interface DispatchStats {
  /** Rule conditions that failed to evaluate (treated as false). */
  matchErrors: number;
  /** Instances that failed to build. */
  buildErrors: number;
  /** Report instances dropped because a destination buffer was full. */
  dropped: number;
  /** Handler calls made, and how many failed. */
  dispatches: number;
  dispatchErrors: number;
}

/** Fresh zeroed stats. */
export function createStats(): DispatchStats {
  return { matchErrors: 0, buildErrors: 0, dropped: 0, dispatches: 0, dispatchErrors: 0 };
}

/**
 * Namespace of a request (§6.2): `inbound` (default) ⇒ `destination.namespace`,
 * `outbound` ⇒ `source.namespace`, anything else ⇒ `""` (the default set).
 */
export function selectNamespace(bag: Bag): string {
  const kind = bag.get("context.reporter.kind");
  const attr = kind === undefined || typeof kind !== "string" || kind === "inbound" ? "destination.namespace" : kind === "outbound" ? "source.namespace" : undefined;
  if (attr === undefined) return "";
  const ns = bag.get(attr);
  return typeof ns === "string" ? ns : "";
}

/**
 * Per-bag sampling memo: a rule's sampling decision is made once per bag even when the rule
 * feeds several destinations. 0 = undecided, 1 = keep, 2 = drop.
 */
export class SamplingMemo {
  private readonly _ruleCount: number;
  /** Allocated on the first sampled rule: most configs never sample, and a typed array is not free. */
  private _state: Int8Array | undefined;
  private readonly _touched: number[] = [];
  constructor(ruleCount: number) {
    this._ruleCount = ruleCount;
  }
  decide(group: InstanceGroup, bag: Bag): boolean {
    const state = (this._state ??= new Int8Array(this._ruleCount));
    const s = state[group.ruleIndex];
    if (s !== 0) return s === 1;
    const keep = group.sampler!.sample(bag);
    state[group.ruleIndex] = keep ? 1 : 2;
    this._touched.push(group.ruleIndex);
    return keep;
  }
  /** Forgets this bag's decisions. Cheap when nothing was sampled (no array truncation). */
  reset(): void {
    const t = this._touched;
    if (t.length === 0) return;
    const state = this._state!;
    for (let i = 0; i < t.length; i++) state[t[i]] = 0;
    t.length = 0;
  }
}

/** Evaluates a group's condition (error ⇒ false, counted) and its rule's sampling. */
export function groupMatches(
  group: InstanceGroup,
  bag: Bag,
  stats: DispatchStats,
  memo: SamplingMemo | undefined,
  refs?: ReferencedAttributes,
): boolean {
  if (group.match !== undefined) {
    try {
      if (group.match.evaluate(bag, refs) !== true) return false;
    } catch {
      stats.matchErrors++;
      return false;
    }
  }
  if (group.sampler === undefined) return true;
  return memo ? memo.decide(group, bag) : group.sampler.sample(bag);
}

/** Builds every instance of a matched group; failures go to `errors` (the instance is skipped). */
export function buildGroup(group: InstanceGroup, bag: Bag, stats: DispatchStats, errors: Error[], refs?: ReferencedAttributes): Instance[] {
  const out: Instance[] = [];
  for (const inst of group.instances) {
    try {
      out.push(inst.compiled.build(bag, refs));
    } catch (e) {
      stats.buildErrors++;
      errors.push(e as Error);
    }
  }
  return out;
}
