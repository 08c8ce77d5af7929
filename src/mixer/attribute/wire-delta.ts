/**
 * The accumulated states of a delta-encoded Report (§2.3 rule 2) in memory linear in the
 * request: each state is a view at one version of a shared history (per attribute, the
 * versions at which it changed and its values), not a copy of everything seen so far.
 * K sets that each add one attribute used to cost K²/2 values; now K.
 */
import type { Bag } from "./bag.js";
import type { Value } from "./values.js";

interface Versions {
  readonly at: number[];
  readonly values: Value[];
}

/** Append-only history of attribute values; `view(v)` is the state after version `v`. */
export class DeltaHistory {
  private readonly _byName = new Map<string, Versions>();
  /** Names in the order they first appeared, with that version (for `names()`). */
  private readonly _order: string[] = [];
  private readonly _firstAt: number[] = [];
  private _version = -1;

  /** Applies one decoded set (values overwrite; nothing is deleted) as the next version. */
  apply(set: Bag, names: readonly string[]): Bag {
    const v = ++this._version;
    for (const name of names) {
      const value = set.get(name);
      if (value === undefined) continue;
      let h = this._byName.get(name);
      if (!h) {
        h = { at: [], values: [] };
        this._byName.set(name, h);
        this._order.push(name);
        this._firstAt.push(v);
      }
      h.at.push(v);
      h.values.push(value);
    }
    return new DeltaState(this, v);
  }

  /** Value of `name` as of version `v` (binary search over its changes). */
  valueAt(name: string, v: number): Value | undefined {
    const h = this._byName.get(name);
    if (!h || h.at[0]! > v) return undefined;
    let lo = 0;
    let hi = h.at.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (h.at[mid]! <= v) lo = mid;
      else hi = mid - 1;
    }
    return h.values[lo];
  }

  /** Names present as of version `v`. */
  namesAt(v: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < this._order.length && this._firstAt[i]! <= v; i++) out.push(this._order[i]!);
    return out;
  }
}

/** One accumulated state: a read-only bag over the shared history. */
class DeltaState implements Bag {
  constructor(
    private readonly _history: DeltaHistory,
    private readonly _version: number,
  ) {}

  get(name: string): Value | undefined {
    return this._history.valueAt(name, this._version);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  names(): string[] {
    return this._history.namesAt(this._version);
  }
}
