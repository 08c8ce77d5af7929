import type { FieldError } from "../../adapter/types.js";
import { isPlainObject, readDuration, readFields, readInt, readString } from "../../adapter/params.js";

/** A limit: `maxAmount` per window (`validDurationMs > 0`) or concurrent (`0`). */
export interface Limit {
  readonly maxAmount: number;
  readonly validDurationMs: number;
}

/** A limit override applying when every listed dimension matches (string form). */
export interface LimitOverride extends Limit {
  readonly dimensions: Readonly<Record<string, string>>;
}

/** One quota: `name` is the quota instance FQN. */
export interface QuotaLimit extends Limit {
  readonly name: string;
  readonly overrides: readonly LimitOverride[];
}

/** Parsed memquota params. */
export interface MemQuotaConfig {
  readonly quotas: readonly QuotaLimit[];
  readonly minDeduplicationMs: number;
}

/** Defaults: no quotas, 1 s deduplication. */
export const MEMQUOTA_DEFAULTS = Object.freeze({ quotas: [], min_deduplication_duration: "1s" });

/** Parses and validates memquota params. */
export function parseMemQuotaConfig(raw: unknown, errors: FieldError[]): MemQuotaConfig {
  const p = readFields(raw, "", ["quotas", "min_deduplication_duration"], errors);
  const minDeduplicationMs = readDuration(p.min_deduplication_duration, "min_deduplication_duration", errors) ?? 1000;
  if (minDeduplicationMs <= 0) errors.push({ field: "min_deduplication_duration", message: "must be > 0" });
  const quotas: QuotaLimit[] = [];
  if (p.quotas !== undefined && !Array.isArray(p.quotas)) errors.push({ field: "quotas", message: "expected a list" });
  const list = Array.isArray(p.quotas) ? p.quotas : [];
  list.forEach((q, i) => quotas.push(parseQuota(q, `quotas[${i}]`, errors)));
  return { quotas, minDeduplicationMs };
}

function parseQuota(raw: unknown, path: string, errors: FieldError[]): QuotaLimit {
  const q = readFields(raw, path, ["name", "max_amount", "valid_duration", "overrides"], errors);
  const name = readString(q.name, `${path}.name`, errors) ?? "";
  if (name === "") errors.push({ field: `${path}.name`, message: "required (the quota instance FQN)" });
  const limit = parseLimit(q, path, errors);
  const overrides: LimitOverride[] = [];
  const list = Array.isArray(q.overrides) ? q.overrides : [];
  if (q.overrides !== undefined && !Array.isArray(q.overrides)) errors.push({ field: `${path}.overrides`, message: "expected a list" });
  list.forEach((o, j) => {
    const op = `${path}.overrides[${j}]`;
    const f = readFields(o, op, ["dimensions", "max_amount", "valid_duration"], errors);
    overrides.push({ ...parseLimit(f, op, errors), dimensions: readDims(f.dimensions, `${op}.dimensions`, errors) });
  });
  return { name, ...limit, overrides };
}

function parseLimit(f: Record<string, unknown>, path: string, errors: FieldError[]): Limit {
  const maxAmount = readInt(f.max_amount, `${path}.max_amount`, errors) ?? 0;
  if (maxAmount < 0) errors.push({ field: `${path}.max_amount`, message: "must be >= 0" });
  const validDurationMs = readDuration(f.valid_duration, `${path}.valid_duration`, errors) ?? 0;
  if (validDurationMs < 0) errors.push({ field: `${path}.valid_duration`, message: "must be >= 0" });
  return { maxAmount, validDurationMs };
}

function readDims(v: unknown, path: string, errors: FieldError[]): Record<string, string> {
  if (v === undefined) return {};
  if (!isPlainObject(v)) {
    errors.push({ field: path, message: "expected a map of dimension name to value" });
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}
