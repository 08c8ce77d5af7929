/**
 * Go literal semantics used by CEXL constants: `strconv.Unquote` and
 * `strconv.ParseInt(v, 10, 64)` / `ParseFloat`, with Go's error texts.
 */

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\",
};

/** Go `strconv.Unquote`; returns undefined on "invalid syntax". */
export function goUnquote(lit: string): string | undefined {
  const q = lit[0];
  if (lit.length < 2 || lit[lit.length - 1] !== q) return undefined;
  const body = lit.slice(1, -1);
  if (q === "`") return body.includes("`") ? undefined : body.replace(/\r/g, "");
  if (q !== '"' && q !== "'") return undefined;
  let out = "";
  for (let i = 0; i < body.length; ) {
    const c = body[i]!;
    if (c === q || c === "\n") return undefined;
    if (c !== "\\") {
      const cp = body.codePointAt(i)!;
      out += String.fromCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const r = unescapeAt(body, i + 1, q);
    if (!r) return undefined;
    out += r.text;
    i = r.next;
  }
  if (q === "'" && [...out].length !== 1) return undefined;
  return out;
}

function unescapeAt(s: string, i: number, q: string): { text: string; next: number } | undefined {
  const e = s[i];
  if (e === undefined) return undefined;
  if (e in SIMPLE_ESCAPES) return { text: SIMPLE_ESCAPES[e]!, next: i + 1 };
  if (e === q) return { text: q, next: i + 1 };
  const hex = (n: number): { text: string; next: number } | undefined => {
    const h = s.slice(i + 1, i + 1 + n);
    if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) return undefined;
    const v = parseInt(h, 16);
    if (n === 2) return { text: String.fromCharCode(v), next: i + 1 + n };
    if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return undefined;
    return { text: String.fromCodePoint(v), next: i + 1 + n };
  };
  if (e === "x") return hex(2);
  if (e === "u") return hex(4);
  if (e === "U") return hex(8);
  if (e >= "0" && e <= "7") {
    const o = s.slice(i, i + 3);
    if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) return undefined;
    return { text: String.fromCharCode(parseInt(o, 8)), next: i + 3 };
  }
  return undefined;
}

const MAX_I64 = (1n << 63n) - 1n;

/** Go `strconv.ParseInt(v, 10, 64)`: a bigint, or the Go error text. */
export function goParseInt10(v: string): bigint | string {
  if (!/^[+-]?\d+$/.test(v)) return `strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`;
  const n = BigInt(v);
  if (n > MAX_I64 || n < -MAX_I64 - 1n) return `strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`;
  return n;
}

/** Go `strconv.ParseFloat(v, 64)` for decimal/hex float literals. */
export function goParseFloat(v: string): number | string {
  const clean = v.replace(/_/g, "");
  const n = /^0[xX]/.test(clean) ? parseHexFloat(clean) : Number(clean);
  if (Number.isNaN(n)) return `strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`;
  if (!Number.isFinite(n)) return `strconv.ParseFloat: parsing ${JSON.stringify(v)}: value out of range`;
  return n;
}

function parseHexFloat(s: string): number {
  const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(s);
  if (!m) return NaN;
  const digits = (m[1] ?? "") + (m[2] ?? "");
  if (digits === "") return NaN;
  return parseInt(digits, 16) * 2 ** (Number(m[3]) - 4 * (m[2] ?? "").length);
}
