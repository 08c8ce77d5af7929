/**
 * Tokenizer following Go's scanner for the subset of tokens an expression can hold
 * (CEXL is parsed with Go's expression parser, §3.1). Positions are 0-based offsets.
 */
import { echo } from "../attribute/index.js";
import { ExpressionError } from "./errors.js";

export type TokenKind = "IDENT" | "INT" | "FLOAT" | "IMAG" | "CHAR" | "STRING" | "OP" | "EOF";

export interface Token {
  readonly kind: TokenKind;
  /** Source text (for OP the operator itself). */
  readonly text: string;
  readonly pos: number;
}

// Longest first so that maximal munch works.
const OPERATORS = [
  "&^=", "<<=", ">>=", "...", "&&", "||", "<-", "==", "!=", "<=", ">=", "<<", ">>", "&^", ":=",
  "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "++", "--",
  "+", "-", "*", "/", "%", "&", "|", "^", "<", ">", "=", "!", "(", ")", "[", "]", "{", "}", ",", ";", ".", ":", "~",
];

/** Go number literal, matched in place (sticky: no copy of the rest of the source per number). */
const NUMBER_RE = /(?:0[xX][0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?\d+)?|0[bBoO][0-9_]*|(?:\d[\d_]*)?(?:\.[\d_]*)?(?:[eE][+-]?\d+)?)i?/y;

const isLetter = (c: string): boolean => /[\p{L}_]/u.test(c);
const isDigit = (c: string): boolean => c >= "0" && c <= "9";

/** Splits `src` into tokens; lexical errors become `unable to parse expression` errors. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (pos: number, msg: string): never => {
    throw new ExpressionError(`unable to parse expression '${echo(src)}': 1:${pos + 1}: ${msg}`, src, pos);
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (src.startsWith("//", i)) {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (src.startsWith("/*", i)) {
      const end = src.indexOf("*/", i + 2);
      if (end < 0) fail(i, "comment not terminated");
      i = end + 2;
    } else if (isLetter(c)) {
      const start = i;
      while (i < src.length && (isLetter(src[i]!) || isDigit(src[i]!) || /\p{Nd}/u.test(src[i]!))) i++;
      out.push({ kind: "IDENT", text: src.slice(start, i), pos: start });
    } else if (isDigit(c) || (c === "." && isDigit(src[i + 1] ?? ""))) {
      NUMBER_RE.lastIndex = i;
      const m = NUMBER_RE.exec(src)!;
      const text = m[0];
      const kind: TokenKind = text.endsWith("i") ? "IMAG" : /^0[xX]/.test(text) ? (/[.pP]/.test(text) ? "FLOAT" : "INT") : /[.eE]/.test(text) ? "FLOAT" : "INT";
      out.push({ kind, text, pos: i });
      i += text.length;
    } else if (c === '"' || c === "'" || c === "`") {
      const start = i;
      i = scanQuoted(src, i, fail);
      out.push({ kind: c === "'" ? "CHAR" : "STRING", text: src.slice(start, i), pos: start });
    } else {
      const op = OPERATORS.find((o) => src.startsWith(o, i));
      if (!op) fail(i, `illegal character U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} '${c}'`);
      out.push({ kind: "OP", text: op!, pos: i });
      i += op!.length;
    }
  }
  out.push({ kind: "EOF", text: "", pos: src.length });
  return out;
}

function scanQuoted(src: string, start: number, fail: (pos: number, msg: string) => never): number {
  const q = src[start]!;
  let i = start + 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === q) return i + 1;
    if (q !== "`" && c === "\n") break;
    i += c === "\\" && q !== "`" ? 2 : 1;
  }
  return fail(start, q === "`" ? "raw string literal not terminated" : q === "'" ? "rune literal not terminated" : "string literal not terminated");
}
