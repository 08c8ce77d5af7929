/**
 * Go-compatible parsers: `time.ParseDuration`, RFC 3339 (`time.Parse(time.RFC3339)`),
 * and `net.ParseIP`. Each returns `undefined` on failure; callers word the error.
 */
import { daysFromCivil } from "./format.js";
import { Duration, IpAddress, Timestamp } from "./values.js";

const UNIT_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1000n,
  "µs": 1000n, // U+00B5 micro sign
  "μs": 1000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const COMPONENT_RE = /^(\d*)(?:\.(\d*))?([^\d.]+)/;
const MAX_I64 = (1n << 63n) - 1n;

/** Go `time.ParseDuration`: `"1h30m"`, `"1.5s"`, `"-10ms"`, bare `"0"`. */
export function parseGoDuration(text: string): Duration | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return new Duration(0n);
  if (s === "") return undefined;
  let total = 0n;
  while (s !== "") {
    const m = COMPONENT_RE.exec(s);
    if (!m) return undefined;
    const [all, whole, frac, unitText] = m;
    if (whole === "" && (frac === undefined || frac === "")) return undefined;
    const unit = UNIT_NS[unitText!];
    if (unit === undefined) return undefined;
    let v = BigInt(whole || "0") * unit;
    if (frac) v += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += v;
    if (total > MAX_I64 + (neg ? 1n : 0n)) return undefined;
    s = s.slice(all.length);
  }
  return new Duration(neg ? -total : total);
}

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** RFC 3339 with optional fractional seconds (up to ns) and `Z` or `±hh:mm` offset. */
export function parseRfc3339(text: string): Timestamp | undefined {
  const m = RFC3339_RE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, hh, mi, ss] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || hh > 23 || mi > 59 || ss > 59) return undefined;
  let offset = 0;
  const zone = m[8]!;
  if (zone !== "Z") {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offset = (zone[0] === "-" ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const secs = daysFromCivil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss - offset;
  const nanos = m[7] ? Number(m[7].padEnd(9, "0")) : 0;
  return new Timestamp(BigInt(secs), nanos);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Parses dotted IPv4 into 4 bytes (leading zeros rejected, as modern Go does). */
function parseIpv4(s: string): Uint8Array | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === "0") || Number(p) > 255) return undefined;
    out[i] = Number(p);
  }
  return out;
}

/** Parses IPv6 text (with `::` and an optional trailing dotted IPv4) into 16 bytes. */
function parseIpv6(s: string): Uint8Array | undefined {
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === "") return [];
    const out: number[] = [];
    const parts = h.split(":");
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes(".")) {
        const v4 = parseIpv4(p);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const n = head.length + tail.length;
  if (halves.length === 2 ? n > 7 : n !== 8) return undefined;
  const all = [...head, ...new Array<number>(8 - n).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/**
 * Go `net.ParseIP`. With `form16` (the CEXL `ip()` function) IPv4 is returned in its
 * 16-byte IPv4-mapped form; otherwise IPv4 stays 4 bytes (as proxies send it).
 */
export function parseIp(text: string, form16 = false): IpAddress | undefined {
  const v4 = text.includes(":") ? undefined : parseIpv4(text);
  if (v4) return form16 ? new IpAddress(new IpAddress(v4).to16()!) : new IpAddress(v4);
  const v6 = text.includes(":") ? parseIpv6(text) : undefined;
  return v6 ? new IpAddress(v6) : undefined;
}
