/** The label value every function past the limit shares. */
export const OVERFLOW_NAME = "__overflow__";

/** Default number of distinct functions that get a series of their own. */
export const DEFAULT_MAX_FUNCTIONS = 1000;

/**
 * Bounds the cardinality of a function label (`span.bounded_name`): the first `limit` distinct
 * names seen keep their own value, every later one becomes {@link OVERFLOW_NAME}. `overflowed`
 * counts the calls folded that way (once per span). Memory: `limit` names, nothing more.
 */
export class BoundedNames {
  readonly limit: number;
  /** Calls whose function was folded into the overflow value. */
  overflowed = 0;
  private readonly _known = new Set<string>();
  private readonly _onFirstOverflow: ((name: string) => void) | undefined;
  /** The last name that kept its own value (calls of one function come in runs): no hash lookup. */
  private _last: string | undefined;

  constructor(limit: number, onFirstOverflow?: (name: string) => void) {
    this.limit = limit;
    this._onFirstOverflow = onFirstOverflow;
  }

  /** `name` while it is one of the first `limit` distinct names, else the overflow value. */
  bound(name: string): string {
    if (name === this._last) return name;
    const known = this._known;
    if (known.has(name)) return (this._last = name);
    if (known.size < this.limit) {
      known.add(name);
      return (this._last = name);
    }
    if (this.overflowed++ === 0) this._onFirstOverflow?.(name);
    return OVERFLOW_NAME;
  }

  /** Distinct names holding a value of their own. */
  get distinct(): number {
    return this._known.size;
  }
}
