import { typeOfValue, ValueType, type AttributeDescriptorFinder, type Bag } from "../attribute/index.js";
import { compileExpression, type CompiledExpression } from "../expr/index.js";
import { isPlainObject, readBool, readDuration, readEnum, readFields, readInt, readString } from "../adapter/params.js";
import type { FieldError } from "../adapter/types.js";
import type { Sampler } from "./types.js";

/** Randomness and time sources; injectable for tests. */
export interface SamplingDeps {
  readonly random: () => number;
  readonly now: () => number;
}

const DENOMINATORS = ["HUNDRED", "TEN_THOUSAND"] as const;

/**
 * Compiles a rule's `sampling` (§10.4). `random`: keep with numerator/denominator (capped
 * at 1); `attributeExpression` supplies the numerator (missing or non-numeric ⇒ 0); the
 * random source is a hash of `span.trace_id` (consistent per trace) unless
 * `useIndependentRandomness` or no trace id. `rateLimit`: per `samplingDuration` window the
 * first `maxUnsampledEntries` pass, then 1 in `samplingRate`. All strategies must pass.
 */
export function compileSampling(
  raw: unknown,
  finder: AttributeDescriptorFinder,
  deps: SamplingDeps,
  errors: FieldError[],
): Sampler | undefined {
  if (raw === undefined || raw === null) return undefined;
  const s = readFields(raw, "", ["random", "rate_limit"], errors);
  const parts: Sampler[] = [];
  if (s.random !== undefined) {
    const r = compileRandom(s.random, finder, deps, errors);
    if (r) parts.push(r);
  }
  if (s.rate_limit !== undefined) {
    const r = compileRateLimit(s.rate_limit, deps, errors);
    if (r) parts.push(r);
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { sample: (bag) => parts.every((p) => p.sample(bag)) };
}

function compileRandom(raw: unknown, finder: AttributeDescriptorFinder, deps: SamplingDeps, errors: FieldError[]): Sampler | undefined {
  const r = readFields(raw, "random", ["attribute_expression", "percent_sampled", "use_independent_randomness"], errors);
  const pct = readFields(r.percent_sampled, "random.percentSampled", ["numerator", "denominator"], errors);
  const numerator = readInt(pct.numerator, "random.percentSampled.numerator", errors) ?? 0;
  const denomName = readEnum(pct.denominator, DENOMINATORS, "random.percentSampled.denominator", errors) ?? "HUNDRED";
  const denominator = denomName === "HUNDRED" ? 100 : 10000;
  const independent = readBool(r.use_independent_randomness, "random.useIndependentRandomness", errors) ?? false;
  const exprText = readString(r.attribute_expression, "random.attributeExpression", errors) ?? "";
  let expr: CompiledExpression | undefined;
  if (exprText.trim() !== "") {
    try {
      expr = compileExpression(exprText, finder);
    } catch (e) {
      errors.push({ field: "random.attributeExpression", message: (e as Error).message });
      return undefined;
    }
  }
  if (numerator < 0) errors.push({ field: "random.percentSampled.numerator", message: "must be >= 0" });
  const numeratorOf = (bag: Bag): number => (expr ? numericValue(expr, bag) : numerator);
  return {
    sample: (bag) => {
      const n = Math.min(numeratorOf(bag), denominator);
      if (n <= 0) return false;
      const trace = independent ? undefined : bag.get("span.trace_id");
      const draw = typeof trace === "string" && trace !== "" ? fnv1a(trace) % denominator : Math.floor(deps.random() * denominator);
      return draw < n;
    },
  };
}

function numericValue(expr: CompiledExpression, bag: Bag): number {
  try {
    const v = expr.evaluate(bag);
    const t = typeOfValue(v);
    if (t === ValueType.INT64) return Number(v as bigint);
    if (t === ValueType.DOUBLE) return v as number;
  } catch {
    // missing attribute ⇒ rate 0 (§10.4)
  }
  return 0;
}

function compileRateLimit(raw: unknown, deps: SamplingDeps, errors: FieldError[]): Sampler | undefined {
  if (!isPlainObject(raw)) {
    errors.push({ field: "rateLimit", message: "expected an object" });
    return undefined;
  }
  const r = readFields(raw, "rateLimit", ["sampling_duration", "max_unsampled_entries", "sampling_rate"], errors);
  const windowMs = readDuration(r.sampling_duration, "rateLimit.samplingDuration", errors) ?? 0;
  const maxUnsampled = readInt(r.max_unsampled_entries, "rateLimit.maxUnsampledEntries", errors) ?? 0;
  const rate = readInt(r.sampling_rate, "rateLimit.samplingRate", errors) ?? 0;
  if (windowMs <= 0) errors.push({ field: "rateLimit.samplingDuration", message: "must be > 0" });
  if (maxUnsampled < 0) errors.push({ field: "rateLimit.maxUnsampledEntries", message: "must be >= 0" });
  if (rate < 0) errors.push({ field: "rateLimit.samplingRate", message: "must be >= 0 (0 = drop after the unsampled entries)" });
  let windowStart = -Infinity;
  let seen = 0;
  return {
    sample: () => {
      const now = deps.now();
      if (now - windowStart >= windowMs) {
        windowStart = now;
        seen = 0;
      }
      seen++;
      if (seen <= maxUnsampled) return true;
      return rate > 0 && (seen - maxUnsampled) % rate === 0;
    },
  };
}

/** 32-bit FNV-1a hash of a string (stable across processes). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
