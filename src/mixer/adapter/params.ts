import type { FieldError } from "./types.js";

/** camelCase → snake_case (`maxAmount` → `max_amount`); protobuf JSON accepts both spellings. */
export function toSnake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `true` for a plain (non-array, non-null) object. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Reads a protobuf-shaped object: keys may be snake_case or camelCase; the result is keyed
 * snake_case. Unknown keys and non-objects are reported into `errors` under `path`.
 */
export function readFields(
  v: unknown,
  path: string,
  allowed: readonly string[],
  errors: FieldError[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (v === undefined || v === null) return out;
  if (!isPlainObject(v)) {
    errors.push({ field: path, message: `expected an object, got ${describe(v)}` });
    return out;
  }
  for (const [k, val] of Object.entries(v)) {
    const snake = toSnake(k);
    if (!allowed.includes(snake)) {
      errors.push({ field: join(path, k), message: `unknown field (allowed: ${allowed.join(", ")})` });
      continue;
    }
    out[snake] = val;
  }
  return out;
}

/** Joins a field path: `join("quotas[0]", "name")` → `quotas[0].name`. */
export function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/** Short description of a value's JS type for messages. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v === "string" ? `string ${JSON.stringify(v)}` : `${typeof v} ${String(v)}`;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_RE = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;

/**
 * Parses a Go/protobuf duration string (`"5s"`, `"1m30s"`, `"100ms"`, `"0"`) into milliseconds.
 * Returns `undefined` when the text is not a duration.
 */
export function parseDurationMs(v: unknown): number | undefined {
  if (typeof v !== "string") return undefined;
  let s = v.trim();
  if (s === "0") return 0;
  if (s === "") return undefined;
  let total = 0;
  while (s.length > 0) {
    const m = DURATION_RE.exec(s);
    if (m === null) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]];
    s = s.slice(m[0].length);
  }
  return total;
}

/** Reads an optional duration field into ms, reporting a bad value; `undefined` keeps the default. */
export function readDuration(v: unknown, field: string, errors: FieldError[]): number | undefined {
  if (v === undefined) return undefined;
  const ms = parseDurationMs(v);
  if (ms === undefined) errors.push({ field, message: `expected a duration such as "5s" or "100ms", got ${describe(v)}` });
  return ms;
}

/** Reads an optional integer field (number or numeric string), reporting a bad value. */
export function readInt(v: unknown, field: string, errors: FieldError[]): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n === "number" && Number.isInteger(n)) return n;
  errors.push({ field, message: `expected an integer, got ${describe(v)}` });
  return undefined;
}

/** Reads an optional boolean field, reporting a bad value. */
export function readBool(v: unknown, field: string, errors: FieldError[]): boolean | undefined {
  if (v === undefined || typeof v === "boolean") return v;
  errors.push({ field, message: `expected true or false, got ${describe(v)}` });
  return undefined;
}

/** Reads an optional string field, reporting a bad value. */
export function readString(v: unknown, field: string, errors: FieldError[]): string | undefined {
  if (v === undefined || typeof v === "string") return v;
  errors.push({ field, message: `expected a string, got ${describe(v)}` });
  return undefined;
}

/** Reads an optional enum given by name (case-sensitive proto name) or number. */
export function readEnum<T extends string>(
  v: unknown,
  names: readonly T[],
  field: string,
  errors: FieldError[],
): T | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v < names.length) return names[v];
  if (typeof v === "string" && (names as readonly string[]).includes(v)) return v as T;
  errors.push({ field, message: `expected one of ${names.join(", ")}, got ${describe(v)}` });
  return undefined;
}

/** Reads an optional array of strings. */
export function readStringList(v: unknown, field: string, errors: FieldError[]): string[] | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  errors.push({ field, message: `expected a list of strings, got ${describe(v)}` });
  return undefined;
}
