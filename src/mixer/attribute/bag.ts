/**
 * Attribute bags (istio/pkg attribute/bag.go, mutableBag.go): a read-only `Bag`
 * interface and `MutableBag`, a delta over a parent bag.
 */
import { isValue, IpAddress, StringMap, type Value } from "./values.js";

/** Read-only view of a set of attributes. Absence is not an error at this level. */
export interface Bag {
  /** The value, or `undefined` when the attribute is absent. */
  get(name: string): Value | undefined;
  has(name: string): boolean;
  /** All visible names (own + parents), de-duplicated, unordered. */
  names(): string[];
}

/** The always-empty bag used as the parent of parentless bags. */
export const EMPTY_BAG: Bag = Object.freeze({
  get: () => undefined,
  has: () => false,
  names: () => [],
});

/**
 * A bag that overlays local values on a parent: `get` returns the own value if set,
 * else the parent's. `delete` only removes the local override.
 */
export class MutableBag implements Bag {
  readonly parent: Bag;
  private _values = new Map<string, Value>();
  private _done = false;

  constructor(parent?: Bag) {
    this.parent = parent ?? EMPTY_BAG;
  }

  get(name: string): Value | undefined {
    this._live();
    const v = this._values.get(name);
    return v !== undefined ? v : this.parent.get(name);
  }

  has(name: string): boolean {
    this._live();
    return this._values.has(name) || this.parent.has(name);
  }

  names(): string[] {
    this._live();
    const out = new Set(this.parent.names());
    for (const k of this._values.keys()) out.add(k);
    return [...out];
  }

  /** Names set locally on this bag (not its parents). */
  ownNames(): string[] {
    return [...this._values.keys()];
  }

  /** Own value only (ignores the parent). */
  getOwn(name: string): Value | undefined {
    return this._values.get(name);
  }

  /** Sets a local value. Throws TypeError for values that are not attribute values. */
  set(name: string, value: Value): this {
    this._live();
    if (!isValue(value)) {
      throw new TypeError(`invalid type for attribute '${name}': ${describeJs(value)}`);
    }
    // Maps remember their owning attribute so key reads can be tracked (§2.4).
    this._values.set(name, value instanceof StringMap && value.name !== name ? value.withName(name) : value);
    return this;
  }

  /** Removes the local override; a parent's value becomes visible again. */
  delete(name: string): boolean {
    this._live();
    return this._values.delete(name);
  }

  /** Drops all local state: the bag looks exactly like its parent again. */
  reset(): void {
    this._values.clear();
  }

  /**
   * Copies `other`'s own values for names this bag (including its parents) does not
   * already contain. Existing values win. When `other` is not a MutableBag all its
   * visible names count as its own.
   */
  merge(other: Bag): void {
    this._live();
    const names = other instanceof MutableBag ? other.ownNames() : other.names();
    for (const name of names) {
      if (this.has(name)) continue;
      const v = other instanceof MutableBag ? other.getOwn(name) : other.get(name);
      if (v !== undefined) this._values.set(name, copyValue(v));
    }
  }

  /** Releases the bag; any later use throws (catches use-after-release bugs). */
  done(): void {
    this._values.clear();
    this._done = true;
  }

  private _live(): void {
    if (this._done) throw new Error("attempt to use a bag after its Done method has been called");
  }
}

/** Creates a mutable bag holding `values`, optionally over `parent`. */
export function createBag(values: Record<string, Value> = {}, parent?: Bag): MutableBag {
  const bag = new MutableBag(parent);
  for (const [k, v] of Object.entries(values)) bag.set(k, v);
  return bag;
}

/** Deep copy of every visible attribute into a fresh parentless bag. */
export function copyBag(bag: Bag): MutableBag {
  const out = new MutableBag();
  for (const name of bag.names()) {
    const v = bag.get(name);
    if (v !== undefined) out.set(name, copyValue(v));
  }
  return out;
}

function copyValue(v: Value): Value {
  if (v instanceof StringMap) return new StringMap(v.entries, v.name);
  if (v instanceof IpAddress) return new IpAddress(v.bytes);
  return v;
}

function describeJs(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v;
}
