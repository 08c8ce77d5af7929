import { Duration, formatValue, type Value } from "../../attribute/index.js";

const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_RE = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Go's `strconv.ParseFloat(s, 64)` for decimal text: `1`, `-2.5`, `.5`, `1e3`, `Inf`, `+infinity`,
 * `NaN` (case-insensitive). Unlike JavaScript's `Number()`, empty text, surrounding spaces and
 * `0x…` integers are errors. (Go's hexadecimal floats such as `0x1p-2` are not accepted.)
 */
export function parseGoFloat(s: string): number | undefined {
  if (DECIMAL_RE.test(s)) return Number(s);
  const m = SPECIAL_RE.exec(s);
  if (m === null) return undefined;
  if (m[2].toLowerCase() === "nan") return NaN;
  return m[1] === "-" ? -Infinity : Infinity;
}

/** A numeric value, or why there is none (Mixer `promValue`). */
export type Converted = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly error: string };

/**
 * Mixer's value conversion: INT64 → float, DOUBLE as is, DURATION → seconds, STRING parsed as a
 * float (Go syntax); anything else ⇒ `could not extract numeric value for <v>`.
 */
export function promValue(v: unknown): Converted {
  switch (typeof v) {
    case "number":
      return { ok: true, value: v };
    case "bigint":
      return { ok: true, value: Number(v) };
    case "string": {
      const n = parseGoFloat(v);
      return n === undefined ? { ok: false, error: `strconv.ParseFloat: parsing ${clip(JSON.stringify(v))}: invalid syntax` } : { ok: true, value: n };
    }
  }
  if (v instanceof Duration) return { ok: true, value: v.toSeconds() };
  return { ok: false, error: `could not extract numeric value for ${describeValue(v)}` };
}

function describeValue(v: unknown): string {
  if (v === undefined || v === null) return "<nil>";
  try {
    return clip(formatValue(v as Value));
  } catch {
    return clip(String(v));
  }
}

/** Label value text: Mixer's `Stringify` (absent ⇒ `""`). */
export function labelValue(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  try {
    return formatValue(v as Value);
  } catch {
    return String(v);
  }
}

/** Caps text echoed in error messages. */
export function clip(s: string, max = 200): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length} chars)`;
}
