/**
 * Plain JSON → typed bag, using manifest types (CLI input, tests, public API that
 * accepts plain JS values, §10.2).
 */
import { MutableBag } from "./bag.js";
import { echo } from "./echo.js";
import type { AttributeDescriptorFinder } from "./manifest.js";
import { parseGoDuration, parseIp, parseRfc3339 } from "./parse.js";
import { ValueType, valueTypeName } from "./value-type.js";
import { StringMap, typeOfValue, type Value } from "./values.js";

/** Invalid JSON input for a bag; the message names the source and the attribute. */
export class BagJsonError extends Error {
  readonly attribute: string | undefined;
  constructor(message: string, attribute?: string) {
    super(message);
    this.name = "BagJsonError";
    this.attribute = attribute;
  }
}

/**
 * Converts a plain JSON object (`{"request.size": 10, "response.duration": "1.5s"}`)
 * into a bag. Durations are Go strings, timestamps RFC 3339, IPs text, maps objects of
 * strings; INT64 accepts integers, bigint or decimal strings. Already-typed values pass
 * through when their type matches. Unknown attributes are errors.
 */
export function bagFromJSON(obj: unknown, finder: AttributeDescriptorFinder, source?: string): MutableBag {
  const where = source ? `${source}: ` : "";
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
    throw new BagJsonError(`${where}attributes must be a JSON object, got ${describe(obj)}`);
  }
  const bag = new MutableBag();
  for (const [name, raw] of Object.entries(obj as Record<string, unknown>)) {
    const d = finder.getAttribute(name);
    if (!d) throw new BagJsonError(`${where}unknown attribute '${echo(name)}'`, name);
    const v = convertJsonValue(raw, d.valueType);
    if (typeof v === "object" && "error" in v) {
      throw new BagJsonError(`${where}attribute '${echo(name)}' (${valueTypeName(d.valueType)}): ${v.error}`, name);
    }
    bag.set(name, v as Value);
  }
  return bag;
}

function isStringType(t: ValueType): boolean {
  return t === ValueType.STRING || t === ValueType.EMAIL_ADDRESS || t === ValueType.URI || t === ValueType.DNS_NAME;
}

type Converted = Value | { error: string };

/** Converts one JSON value to the runtime value of type `t`, or describes why not. */
export function convertJsonValue(raw: unknown, t: ValueType): Converted {
  if (raw !== null && typeof raw === "object" && !(raw.constructor === Object)) {
    const rt = typeOfValue(raw);
    if (rt === t || (rt === ValueType.STRING && isStringType(t))) return raw as Value;
  }
  const bad = (expected: string): Converted => ({ error: `expected ${expected}, got ${describe(raw)}` });
  switch (t) {
    case ValueType.STRING:
    case ValueType.EMAIL_ADDRESS:
    case ValueType.URI:
    case ValueType.DNS_NAME:
      return typeof raw === "string" ? raw : bad("a string");
    case ValueType.INT64:
      return toInt64(raw) ?? bad("an integer");
    case ValueType.DOUBLE:
      return typeof raw === "number" ? raw : typeof raw === "bigint" ? Number(raw) : bad("a number");
    case ValueType.BOOL:
      return typeof raw === "boolean" ? raw : bad("true or false");
    case ValueType.TIMESTAMP:
      return (typeof raw === "string" ? parseRfc3339(raw) : undefined) ?? bad("an RFC 3339 timestamp like '2006-01-02T15:04:05Z'");
    case ValueType.DURATION:
      return (typeof raw === "string" ? parseGoDuration(raw) : undefined) ?? bad("a duration like '1.5s' or '250ms'");
    case ValueType.IP_ADDRESS:
      return (typeof raw === "string" ? parseIp(raw) : undefined) ?? bad("an IPv4 or IPv6 address");
    case ValueType.STRING_MAP:
      return toStringMap(raw) ?? bad("an object of string values");
    default:
      return { error: `unsupported type ${valueTypeName(t)}` };
  }
}

function toInt64(raw: unknown): bigint | undefined {
  let v: bigint | undefined;
  if (typeof raw === "bigint") v = raw;
  else if (typeof raw === "number" && Number.isSafeInteger(raw)) v = BigInt(raw);
  else if (typeof raw === "string" && /^[-+]?\d+$/.test(raw)) v = BigInt(raw);
  if (v === undefined || v !== BigInt.asIntN(64, v)) return undefined;
  return v;
}

function toStringMap(raw: unknown): StringMap | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const entries = Object.entries(raw as Record<string, unknown>);
  if (!entries.every(([, v]) => typeof v === "string")) return undefined;
  return new StringMap(Object.fromEntries(entries) as Record<string, string>);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return JSON.stringify(echo(v));
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "bigint") return `${v}n`;
  return typeof v === "object" ? "an object" : typeof v;
}
