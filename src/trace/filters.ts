import { S } from "./state.js";
import { randomFraction } from "./random.js";

/**
 * Which calls are reported. Hidden calls still keep the flow and depth bookkeeping right.
 * In `configure()`, a field left out stays as it was and `null` clears it.
 */
export interface FilterOptions {
  /** Only names matching one of these patterns (`*` and `?` wildcards, or RegExp) are reported. */
  include?: ReadonlyArray<string | RegExp> | null;
  /** Names matching one of these patterns are not reported (their callees still are). */
  exclude?: ReadonlyArray<string | RegExp> | null;
  /** Calls deeper than this are not reported. */
  maxDepth?: number | null;
  /** Spans shorter than this are not exported (exporters re-parent their children). */
  minDurationMs?: number | null;
  /** Fraction of root flows that are traced, 0..1 (the decision is inherited by forked flows). */
  sampleRatio?: number | null;
}

let active: Readonly<FilterOptions> = Object.freeze({});

/** The filters in force now (exporters read minDurationMs from here). */
export function getFilters(): Readonly<FilterOptions> {
  return active;
}

/** Checks filter options; returns one message per problem, naming the field. */
export function validateFilters(options: FilterOptions): string[] {
  const problems: string[] = [];
  for (const field of ["include", "exclude"] as const) {
    const list = options[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) problems.push(`${field}: expected an array of patterns`);
    else
      list.forEach((p, i) => {
        if (typeof p !== "string" && !(p instanceof RegExp))
          problems.push(`${field}[${i}]: expected a string or RegExp`);
      });
  }
  const { maxDepth, minDurationMs, sampleRatio } = options;
  if (maxDepth !== undefined && maxDepth !== null && !(Number.isInteger(maxDepth) && maxDepth >= 1))
    problems.push(`maxDepth: expected an integer >= 1, got ${maxDepth}`);
  if (minDurationMs !== undefined && minDurationMs !== null && !(Number.isFinite(minDurationMs) && minDurationMs >= 0))
    problems.push(`minDurationMs: expected a number >= 0, got ${minDurationMs}`);
  if (sampleRatio !== undefined && sampleRatio !== null && !(Number.isFinite(sampleRatio) && sampleRatio >= 0 && sampleRatio <= 1))
    problems.push(`sampleRatio: expected a number in [0, 1], got ${sampleRatio}`);
  return problems;
}

/** Installs validated filters into the engine (name decisions are cached per name). */
export function applyFilters(given: FilterOptions): void {
  const options: FilterOptions = Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== null && value !== undefined),
  );
  active = Object.freeze(options);
  const include = options.include?.map(toRegExp);
  const exclude = options.exclude?.map(toRegExp);
  const maxDepth = options.maxDepth ?? Infinity;
  const byName = include !== undefined || (exclude !== undefined && exclude.length > 0);
  const cache = new Map<string, boolean>();
  const hiddenName = (name: string): boolean => {
    let hidden = cache.get(name);
    if (hidden === undefined) {
      hidden =
        (include !== undefined && !include.some((r) => r.test(name))) ||
        (exclude?.some((r) => r.test(name)) ?? false);
      if (cache.size < 100_000) cache.set(name, hidden);
    }
    return hidden;
  };
  if (!byName && maxDepth === Infinity) S.hide = null;
  else if (!byName) S.hide = (_name, depth) => depth > maxDepth;
  else S.hide = (name, depth) => depth > maxDepth || hiddenName(name);
  const ratio = options.sampleRatio ?? undefined;
  S.sampleRoot = ratio === undefined || ratio >= 1 ? null : () => randomFraction() < ratio;
}

/** `*` matches any run of characters, `?` one character; the whole name must match. */
export function toRegExp(pattern: string | RegExp): RegExp {
  if (pattern instanceof RegExp) return pattern;
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}
