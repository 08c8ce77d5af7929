import type { FieldError } from "../../adapter/types.js";
import { describe, readFields, readInt } from "../../adapter/params.js";

/** Prometheus' (and Mixer's) default histogram buckets, used when a DISTRIBUTION has none. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

/** Upper bound on finite buckets per histogram (a typo such as 1e9 must not allocate 1e9 bounds). */
export const MAX_BUCKETS = 10_000;

/** `offset + width·i` for `i = 0..numFinite` (numFinite + 1 bounds, as Mixer's LinearBuckets(offset, width, N+1)). */
export function linearBounds(numFinite: number, width: number, offset: number): number[] {
  const out: number[] = [];
  for (let i = 0; i <= numFinite; i++) out.push(offset + width * i);
  return out;
}

/** `scale · growth^i` for `i = 0..numFinite` (numFinite + 1 bounds, as Mixer's ExponentialBuckets). */
export function exponentialBounds(numFinite: number, growthFactor: number, scale: number): number[] {
  const out: number[] = [];
  for (let i = 0, b = scale; i <= numFinite; i++, b *= growthFactor) out.push(b);
  return out;
}

/** Reads an optional finite number (YAML number or numeric string), reporting a bad value. */
export function readNumber(v: unknown, field: string, errors: FieldError[]): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n === "number" && Number.isFinite(n)) return n;
  errors.push({ field, message: `expected a number, got ${describe(v)}` });
  return undefined;
}

const ONEOF = ["linear_buckets", "exponential_buckets", "explicit_buckets"];

/**
 * Parses `buckets` (Mixer BucketsDefinition: exactly one of linear_buckets, exponential_buckets,
 * explicit_buckets) into upper bounds; absent ⇒ {@link DEFAULT_BUCKETS}. Problems go to `errors`.
 */
export function parseBuckets(raw: unknown, path: string, errors: FieldError[]): readonly number[] {
  if (raw === undefined || raw === null) return DEFAULT_BUCKETS;
  const n0 = errors.length;
  const def = readFields(raw, path, ONEOF, errors);
  const set = ONEOF.filter((k) => def[k] !== undefined);
  if (errors.length > n0) return DEFAULT_BUCKETS;
  if (set.length !== 1) {
    errors.push({ field: path, message: `exactly one of ${ONEOF.join(", ")} must be set${set.length > 1 ? ` (got ${set.join(", ")})` : ""}` });
    return DEFAULT_BUCKETS;
  }
  const kind = set[0];
  const p = `${path}.${kind}`;
  if (kind === "explicit_buckets") return explicit(def[kind], p, errors) ?? DEFAULT_BUCKETS;
  if (kind === "linear_buckets") {
    const f = readFields(def[kind], p, ["num_finite_buckets", "width", "offset"], errors);
    const num = count(f.num_finite_buckets, `${p}.num_finite_buckets`, errors);
    const width = readNumber(f.width, `${p}.width`, errors) ?? 0;
    if (width <= 0) errors.push({ field: `${p}.width`, message: `must be > 0, got ${width}` });
    const offset = readNumber(f.offset, `${p}.offset`, errors) ?? 0;
    return errors.length > n0 ? DEFAULT_BUCKETS : linearBounds(num, width, offset);
  }
  const f = readFields(def[kind], p, ["num_finite_buckets", "growth_factor", "scale"], errors);
  const num = count(f.num_finite_buckets, `${p}.num_finite_buckets`, errors);
  const growth = readNumber(f.growth_factor, `${p}.growth_factor`, errors) ?? 0;
  if (growth <= 1) errors.push({ field: `${p}.growth_factor`, message: `must be > 1, got ${growth}` });
  const scale = readNumber(f.scale, `${p}.scale`, errors) ?? 0;
  if (scale <= 0) errors.push({ field: `${p}.scale`, message: `must be > 0, got ${scale}` });
  if (errors.length > n0) return DEFAULT_BUCKETS;
  const bounds = exponentialBounds(num, growth, scale);
  if (!Number.isFinite(bounds[bounds.length - 1])) errors.push({ field: p, message: "the largest bucket bound overflows to infinity" });
  return bounds;
}

function count(v: unknown, field: string, errors: FieldError[]): number {
  const n = readInt(v, field, errors) ?? 0;
  if (n <= 0) errors.push({ field, message: `must be > 0, got ${n}` });
  else if (n > MAX_BUCKETS) errors.push({ field, message: `must be <= ${MAX_BUCKETS}, got ${n}` });
  return n;
}

function explicit(raw: unknown, path: string, errors: FieldError[]): number[] | undefined {
  const f = readFields(raw, path, ["bounds"], errors);
  const field = `${path}.bounds`;
  if (!Array.isArray(f.bounds) || f.bounds.length === 0) {
    errors.push({ field, message: "expected a non-empty list of increasing numbers" });
    return undefined;
  }
  if (f.bounds.length > MAX_BUCKETS + 1) {
    errors.push({ field, message: `at most ${MAX_BUCKETS + 1} bounds, got ${f.bounds.length}` });
    return undefined;
  }
  const n0 = errors.length;
  const out = f.bounds.map((b, i) => readNumber(b, `${field}[${i}]`, errors) ?? NaN);
  if (errors.length > n0) return undefined;
  for (let i = 1; i < out.length; i++) {
    if (!(out[i] > out[i - 1])) {
      errors.push({ field: `${field}[${i}]`, message: `bounds must be strictly increasing (${out[i]} after ${out[i - 1]})` });
      return undefined;
    }
  }
  return out;
}
