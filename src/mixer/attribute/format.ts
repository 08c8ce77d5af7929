/**
 * Go-compatible stringification (§7.8): `formatValue` is Mixer's `Stringify`, and the
 * Go duration/float/IP/time formats it relies on.
 */
import { Duration, IpAddress, StringMap, Timestamp, type Value } from "./values.js";

/** Go `time.Duration.String()`: `1.5s`, `1m30s`, `1h0m0s`, `1.5µs`, `0s`. */
export function formatGoDuration(d: Duration | bigint): string {
  const ns = typeof d === "bigint" ? d : d.nanos;
  if (ns === 0n) return "0s";
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u < 1000n) out = `${u}ns`;
    else if (u < 1_000_000n) out = `${fracString(u, 3)}µs`;
    else out = `${fracString(u, 6)}ms`;
  } else {
    out = `${fracString(u % 60_000_000_000n, 9)}s`;
    u /= 60_000_000_000n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** `v / 10^prec` as decimal text with trailing fractional zeros trimmed. */
function fracString(v: bigint, prec: number): string {
  const scale = 10n ** BigInt(prec);
  const whole = v / scale;
  const frac = (v % scale).toString().padStart(prec, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : `${whole}`;
}

/** Go `strconv.FormatFloat(x, 'f', -1, 64)`: shortest round-trip digits, no exponent. */
export function formatGoFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  if (Object.is(x, -0)) return "-0";
  const s = String(x);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, rest = "", expText] = m;
  const digits = lead + rest;
  const exp = Number(expText);
  if (exp >= 0) {
    const intLen = 1 + exp;
    if (digits.length <= intLen) return sign + digits + "0".repeat(intLen - digits.length);
    return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  }
  return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
}

/** Go `net.IP.String()`: dotted IPv4 (also for IPv4-mapped IPv6), compressed IPv6. */
export function formatIp(ip: IpAddress | Uint8Array): string {
  const b = ip instanceof IpAddress ? ip.bytes : ip;
  if (b.length === 0) return "<nil>";
  if (b.length === 4) return Array.from(b).join(".");
  if (b.length !== 16) return `?${Buffer.from(b).toString("hex")}`;
  if (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) {
    return Array.from(b.slice(12)).join(".");
  }
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  // Longest run of >= 2 zero groups becomes "::" (first such run on ties).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(":");
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ` in UTC (Mixer's Stringify time layout). */
export function formatTimestampMicros(t: Timestamp): string {
  return `${formatDateTime(t)}.${String(Math.floor(t.nanos / 1000)).padStart(6, "0")}Z`;
}

/** RFC 3339 in UTC with nanoseconds trimmed (Go `time.RFC3339Nano`). */
export function formatRfc3339(t: Timestamp): string {
  const frac = t.nanos === 0 ? "" : `.${String(t.nanos).padStart(9, "0").replace(/0+$/, "")}`;
  return `${formatDateTime(t)}${frac}Z`;
}

function formatDateTime(t: Timestamp): string {
  const days = Number(floorDiv(t.seconds, 86400n));
  const secOfDay = Number(t.seconds - BigInt(days) * 86400n);
  const [y, mo, d] = civilFromDays(days);
  const p2 = (n: number): string => String(n).padStart(2, "0");
  const hh = Math.floor(secOfDay / 3600);
  const mm = Math.floor((secOfDay % 3600) / 60);
  const year = y < 0 ? `-${String(-y).padStart(4, "0")}` : String(y).padStart(4, "0");
  return `${year}-${p2(mo)}-${p2(d)}T${p2(hh)}:${p2(mm)}:${p2(secOfDay % 60)}`;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/** Days since 1970-01-01 → [year, month, day] (proleptic Gregorian; H. Hinnant). */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** [year, month, day] → days since 1970-01-01. */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Mixer `Stringify` (§7.8). `undefined`/`null` ⇒ `""`. */
export function formatValue(v: Value | undefined | null): string {
  if (v === undefined || v === null) return "";
  switch (typeof v) {
    case "string":
      return v;
    case "bigint":
      return v.toString();
    case "number":
      return formatGoFloat(v);
    case "boolean":
      return v ? "true" : "false";
  }
  if (v instanceof Timestamp) return formatTimestampMicros(v);
  if (v instanceof Duration) return formatGoDuration(v);
  if (v instanceof IpAddress) return formatIp(v);
  return formatStringMap(v);
}

/** `k1=v1&k2=v2`, sorted by key. */
export function formatStringMap(m: StringMap): string {
  return [...m.entries.keys()]
    .sort()
    .map((k) => `${k}=${m.entries.get(k)}`)
    .join("&");
}

/** JSON-safe form for CLI output: RFC 3339 times, Go duration text, IP text, map objects. */
export function toJSONValue(v: Value | undefined): unknown {
  if (v === undefined) return null;
  switch (typeof v) {
    case "bigint":
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    case "number":
      return Number.isFinite(v) ? v : formatGoFloat(v);
    case "string":
    case "boolean":
      return v;
  }
  if (v instanceof Timestamp) return formatRfc3339(v);
  if (v instanceof Duration) return formatGoDuration(v);
  if (v instanceof IpAddress) return formatIp(v);
  return Object.fromEntries([...v.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
