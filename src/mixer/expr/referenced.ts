/**
 * Referenced-attribute tracking (§2.4): which attributes (and map keys) an evaluation
 * read, and whether they were present (EXACT) or absent (ABSENCE). Check results carry
 * these so callers can cache decisions.
 */

/** `ReferencedAttributes.Condition` (mixer/v1/check.proto). REGEX is never produced. */
export enum Presence {
  CONDITION_UNSPECIFIED = 0,
  ABSENCE = 1,
  EXACT = 2,
  REGEX = 3,
}

/** One referenced attribute or map key. */
export interface AttributeMatch {
  readonly name: string;
  readonly condition: Presence;
  /** Set for STRING_MAP key lookups. */
  readonly mapKey?: string;
}

/** Accumulates references; the latest condition for a name/key wins. */
export class ReferencedAttributes {
  private _refs = new Map<string, AttributeMatch>();

  /** Records a whole-attribute read. */
  recordAttribute(name: string, present: boolean): void {
    this._refs.set(name, { name, condition: present ? Presence.EXACT : Presence.ABSENCE });
  }

  /** Records a map-key read on STRING_MAP attribute `name`. */
  recordMapKey(name: string, mapKey: string, present: boolean): void {
    this._refs.set(`${name}\u0000${mapKey}`, { name, mapKey, condition: present ? Presence.EXACT : Presence.ABSENCE });
  }

  /** All matches, sorted by name then key. */
  matches(): AttributeMatch[] {
    return [...this._refs.values()].sort(compareMatch);
  }

  get size(): number {
    return this._refs.size;
  }

  /** Test-table notation: `a` EXACT, `-a` ABSENCE, `ar[k]` / `-ar[k]` map keys; sorted. */
  toStrings(): string[] {
    return this.matches()
      .map((m) => `${m.condition === Presence.ABSENCE ? "-" : ""}${m.name}${m.mapKey !== undefined ? `[${m.mapKey}]` : ""}`)
      .sort();
  }

  /** A copy of the current state (restore with {@link restore}). */
  snapshot(): ReadonlyMap<string, AttributeMatch> {
    return new Map(this._refs);
  }

  /** Restores a state captured by {@link snapshot} (quota evaluation, §2.4). */
  restore(s: ReadonlyMap<string, AttributeMatch>): void {
    this._refs = new Map(s);
  }

  clear(): void {
    this._refs.clear();
  }
}

function compareMatch(a: AttributeMatch, b: AttributeMatch): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  const ak = a.mapKey ?? "";
  const bk = b.mapKey ?? "";
  if (a.mapKey === undefined && b.mapKey !== undefined) return -1;
  if (b.mapKey === undefined && a.mapKey !== undefined) return 1;
  return ak < bk ? -1 : ak > bk ? 1 : 0;
}
