/**
 * Runtime helpers behind CEXL functions (mixer/pkg/lang/externs.go): glob `match`,
 * RE2-style `matches`, DNS name / e-mail / URI validation and equality.
 */
import { domainToASCII } from "node:url";
import { RE2JS, RE2JSException } from "re2js";
import { echo } from "../attribute/index.js";
import { EvaluationError } from "./errors.js";

/** Glob match: `prefix*`, `*suffix`, or exact. */
export function globMatch(str: string, pattern: string): boolean {
  if (pattern.endsWith("*")) return str.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith("*")) return str.endsWith(pattern.slice(1));
  return str === pattern;
}

const REGEX_CACHE = new Map<string, RE2JS>();
const REGEX_CACHE_MAX = 512;

/**
 * Compiles a `matches()` pattern with Go's RE2 syntax and linear-time matching (re2js, a
 * port of RE2): no backreferences or lookaround, so no pattern can take exponential time.
 * `test` is an unanchored search, like Go's `regexp.MatchString`. Errors carry Go's text
 * (`error parsing regexp: invalid escape sequence: `\1``) as EvaluationErrors.
 */
export function compileRegex(pattern: string): RE2JS {
  let re = REGEX_CACHE.get(pattern);
  if (re) return re;
  const goOnly = goSyntaxError(pattern);
  if (goOnly) throw new EvaluationError(goOnly);
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    const m = e instanceof RE2JSException ? e.message : `error parsing regexp: ${(e as Error).message}`;
    throw new EvaluationError(echo(m));
  }
  if (REGEX_CACHE.size >= REGEX_CACHE_MAX) REGEX_CACHE.clear();
  REGEX_CACHE.set(pattern, re);
  return re;
}

/**
 * Syntax re2js accepts but Mixer's Go (1.14) regexp did not: `(?<name>…)` groups (Go
 * accepted only `(?P<name>…)` until 1.22).
 */
function goSyntaxError(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") {
      inClass = true;
      if (pattern[i + 1] === "^") i++;
      if (pattern[i + 1] === "]") i++;
    } else if (c === "(" && pattern.startsWith("(?<", i)) {
      return `error parsing regexp: invalid or unsupported Perl syntax: \`(?<\``;
    }
  }
  return undefined;
}

const LABEL_RE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i;

/** Validates a DNS name (IDNA lookup, strict labels, RFC 1035 lengths); error reason or undefined. */
export function dnsNameError(name: string): string | undefined {
  if (name === "") return "idna: invalid label \"\"";
  const ascii = /^[\x20-\x7e]*$/.test(name) ? name : domainToASCII(name);
  if (ascii === "") return `idna: invalid label "${name}"`;
  const trimmed = ascii.endsWith(".") ? ascii.slice(0, -1) : ascii;
  if (trimmed.length === 0 || trimmed.length > 253) return "idna: invalid label length";
  for (const label of trimmed.split(".")) {
    if (label.length === 0 || label.length > 63) return "idna: invalid label length";
    if (!LABEL_RE.test(label)) return `idna: disallowed rune in label "${label}"`;
  }
  return undefined;
}

function normaliseDns(name: string): string {
  const ascii = /^[\x20-\x7e]*$/.test(name) ? name : domainToASCII(name) || name;
  return (ascii.endsWith(".") ? ascii.slice(0, -1) : ascii).toLowerCase();
}

/** DNS-name equality: IDNA-normalised, case-insensitive, trailing dot ignored. */
export function dnsNameEqual(a: string, b: string): boolean {
  return normaliseDns(a) === normaliseDns(b);
}

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LOCAL_RE = new RegExp(`^(?:${ATOM}(?:\\.${ATOM})*|"(?:[^"\\\\\\r\\n]|\\\\.)*")$`);

/** Splits an address-only e-mail (no display name) into [local, domain], or an error. */
export function parseEmail(s: string): [string, string] | string {
  const at = s.lastIndexOf("@");
  if (at <= 0 || at === s.length - 1) return "mail: missing @ in addr-spec";
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  if (!LOCAL_RE.test(local)) return "mail: invalid string";
  const dnsErr = dnsNameError(domain);
  if (dnsErr) return dnsErr;
  return [local, domain];
}

/** E-mail equality: local parts byte-equal, domains DNS-equal; invalid ⇒ not equal. */
export function emailEqual(a: string, b: string): boolean {
  const pa = parseEmail(a);
  const pb = parseEmail(b);
  if (typeof pa === "string" || typeof pb === "string") return a === b;
  return pa[0] === pb[0] && dnsNameEqual(pa[1], pb[1]);
}

/** URI validation: non-empty, no control characters, absolute URIs must parse. */
export function uriError(s: string): string | undefined {
  if (s === "") return "empty string";
  if (/[\x00-\x1f\x7f]/.test(s)) return "net/url: invalid control character in URL";
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s)) {
    try {
      new URL(s);
    } catch {
      return `parse ${JSON.stringify(s)}: invalid URI`;
    }
  }
  return undefined;
}

/** URI equality: schemes case-insensitive; http(s) hosts DNS-equal and ports equal. */
export function uriEqual(a: string, b: string): boolean {
  let ua: URL;
  let ub: URL;
  try {
    ua = new URL(a);
    ub = new URL(b);
  } catch {
    return a === b;
  }
  if (ua.protocol.toLowerCase() !== ub.protocol.toLowerCase()) return false;
  if (ua.protocol === "http:" || ua.protocol === "https:") {
    if (!dnsNameEqual(ua.hostname, ub.hostname) || ua.port !== ub.port) return false;
    return ua.pathname === ub.pathname && ua.search === ub.search && ua.hash === ub.hash && ua.username === ub.username && ua.password === ub.password;
  }
  return ua.href === ub.href;
}

/** Compares strings by Unicode code point (= UTF-8 byte order, Go semantics). */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (0xD800–0xDFFF) encode code points above every BMP unit.
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
