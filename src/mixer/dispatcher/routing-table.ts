import type { CompiledExpression } from "../expr/index.js";
import type { Handler } from "../adapter/types.js";
import type { InstanceConfig, Sampler } from "../config/types.js";
import type { TemplateInfo, Variety } from "../template/types.js";

/** Builders of one rule for one destination, sharing the rule's condition. */
export interface InstanceGroup {
  readonly ruleFqn: string;
  /** Index of the rule in the snapshot (sampling decisions are per rule and bag). */
  readonly ruleIndex: number;
  /** `undefined` = always true. */
  readonly match: CompiledExpression | undefined;
  readonly sampler: Sampler | undefined;
  readonly instances: readonly InstanceConfig[];
  /** Action names, parallel to `instances`. */
  readonly actionNames: readonly string[];
}

/** One (handler, template) pair reachable from a namespace. */
export interface Destination {
  /** Unique within a table: index into per-destination buffers. */
  readonly id: number;
  readonly handlerFqn: string;
  readonly adapterName: string;
  /** `<template>:<handlerFqn>(<adapter>)`, prefix of dispatch errors (built once). */
  readonly label: string;
  readonly handler: Handler;
  readonly template: TemplateInfo;
  readonly groups: readonly InstanceGroup[];
}

/** Destinations of one variety and namespace, in routing order (default namespace first). */
export type Destinations = readonly Destination[];

const NONE: Destinations = Object.freeze([]);

/**
 * Immutable routing table of one config snapshot: variety → namespace → destinations.
 * A namespace with no rules of its own uses the default namespace's destinations.
 */
export class RoutingTable {
  /** Number of distinct destinations (size of per-destination buffers). */
  readonly destinationCount: number;
  readonly ruleCount: number;
  private readonly _byVariety: ReadonlyMap<Variety, ReadonlyMap<string, Destinations>>;
  private readonly _defaults: ReadonlyMap<Variety, Destinations>;

  constructor(
    byVariety: ReadonlyMap<Variety, ReadonlyMap<string, Destinations>>,
    defaults: ReadonlyMap<Variety, Destinations>,
    destinationCount: number,
    ruleCount: number,
  ) {
    this._byVariety = byVariety;
    this._defaults = defaults;
    this.destinationCount = destinationCount;
    this.ruleCount = ruleCount;
  }

  /** Destinations for a variety in a namespace (`""` = default set). */
  get(variety: Variety, namespace: string): Destinations {
    const own = namespace === "" ? undefined : this._byVariety.get(variety)?.get(namespace);
    return own ?? this._defaults.get(variety) ?? NONE;
  }

  /** True when no rule at all routes this variety (the fast path: no work per bag). */
  isEmpty(variety: Variety): boolean {
    return (this._defaults.get(variety)?.length ?? 0) === 0 && (this._byVariety.get(variety)?.size ?? 0) === 0;
  }

  /** True when only the default namespace has rules for this variety (no namespace lookup needed). */
  defaultOnly(variety: Variety): boolean {
    return (this._byVariety.get(variety)?.size ?? 0) === 0;
  }

  /** Every destination of a variety, each once (for diagnostics and tests). */
  all(variety: Variety): Destination[] {
    const seen = new Map<number, Destination>();
    for (const d of this._defaults.get(variety) ?? []) seen.set(d.id, d);
    for (const list of this._byVariety.get(variety)?.values() ?? []) for (const d of list) seen.set(d.id, d);
    return [...seen.values()].sort((a, b) => a.id - b.id);
  }
}
