/**
 * CEXL parser: a Go-expression parser (go/parser.ParseExpr subset) producing a small Go
 * AST, then Mixer's `process` step turning it into the Mixer AST (ast.ts).
 */
import { echo, parseGoDuration, ValueType } from "../attribute/index.js";
import type { ExprNode, FnNode } from "./ast.js";
import { ExpressionError } from "./errors.js";
import { goParseFloat, goParseInt10, goUnquote } from "./go-literals.js";
import { tokenize, type Token } from "./lexer.js";

type GoNode =
  | { t: "ident"; name: string; pos: number }
  | { t: "lit"; kind: Token["kind"]; text: string; pos: number }
  | { t: "paren"; x: GoNode; pos: number }
  | { t: "sel"; x: GoNode; sel: string; pos: number }
  | { t: "call"; fun: GoNode; args: GoNode[]; pos: number }
  | { t: "index"; x: GoNode; index: GoNode; pos: number }
  | { t: "unary"; op: string; x: GoNode; pos: number }
  | { t: "binary"; op: string; x: GoNode; y: GoNode; pos: number }
  | { t: "other"; what: string; pos: number };

const BINARY_PREC: Readonly<Record<string, number>> = {
  "||": 1, "&&": 2,
  "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
  "+": 4, "-": 4, "|": 4, "^": 4,
  "*": 5, "/": 5, "%": 5, "<<": 5, ">>": 5, "&": 5, "&^": 5,
};

/** go/token names as Mixer maps them (tMap); other operators map to "". */
const OP_NAMES: Readonly<Record<string, string>> = {
  "+": "ADD", "-": "SUB", "*": "MUL", "/": "QUO", "%": "REM", "&": "AND", "|": "OR", "^": "XOR",
  "&&": "LAND", "||": "LOR", "==": "EQ", "<": "LT", ">": "GT", "!": "NOT", "!=": "NEQ", "<=": "LEQ", ">=": "GEQ",
};

/**
 * Longest expression accepted (characters). Mixer had no limit; real rules are a few
 * hundred characters, and the bound keeps lexing, checking and error messages small.
 */
export const MAX_EXPRESSION_LENGTH = 65_536;

/**
 * Deepest expression tree accepted: levels of operators (a chain of N `+` or `||` terms
 * is N-1 levels), parentheses, calls, indexes and selectors. Every later pass (type
 * check, compile, evaluate) recurses over the tree; the bound keeps them far from the
 * JavaScript stack limit, so an over-deep expression is a located ExpressionError.
 */
export const MAX_EXPRESSION_DEPTH = 500;

class GoParser {
  private _i = 0;
  private _nesting = 0;
  /** Height of every node built so far (leaves 1). */
  private readonly _h = new Map<GoNode, number>();
  constructor(
    private readonly _src: string,
    private readonly _toks: Token[],
  ) {}

  parse(): GoNode {
    const x = this._binary(1);
    const t = this._peek();
    if (t.kind !== "EOF") this._fail(t, t.text === "=" ? "'=='" : "'EOF'");
    return x;
  }

  private _peek(): Token {
    return this._toks[this._i]!;
  }

  private _next(): Token {
    return this._toks[this._i++]!;
  }

  private _fail(t: Token, expected: string): never {
    const found = t.kind === "EOF" ? "'EOF'" : t.kind === "OP" ? `'${t.text}'` : echo(t.text);
    throw new ExpressionError(
      `unable to parse expression '${echo(this._src)}': 1:${t.pos + 1}: expected ${expected}, found ${found}`,
      this._src,
      t.pos,
    );
  }

  /** Records `node`'s height (1 + its tallest child) and refuses trees deeper than the limit. */
  private _node<T extends GoNode>(node: T, kids: readonly GoNode[]): T {
    let h = 0;
    for (const k of kids) h = Math.max(h, this._h.get(k) ?? 1);
    this._h.set(node, h + 1);
    if (h + 1 > MAX_EXPRESSION_DEPTH) tooDeep(this._src, node.pos);
    return node;
  }

  private _expect(op: string): Token {
    const t = this._peek();
    if (t.kind !== "OP" || t.text !== op) this._fail(t, `'${op}'`);
    return this._next();
  }

  private _binary(minPrec: number): GoNode {
    // Parser recursion is bounded before any tree exists: `((((…` nests here.
    if (++this._nesting > MAX_EXPRESSION_DEPTH) tooDeep(this._src, this._peek().pos);
    let x = this._unary();
    for (;;) {
      const t = this._peek();
      const prec = t.kind === "OP" ? BINARY_PREC[t.text] : undefined;
      if (prec === undefined || prec < minPrec) {
        this._nesting--;
        return x;
      }
      this._next();
      const y = this._binary(prec + 1);
      x = this._node({ t: "binary", op: t.text, x, y, pos: t.pos }, [x, y]);
    }
  }

  private _unary(): GoNode {
    const t = this._peek();
    if (t.kind === "OP" && ["+", "-", "!", "^", "&", "<-", "*"].includes(t.text)) {
      this._next();
      if (++this._nesting > MAX_EXPRESSION_DEPTH) tooDeep(this._src, t.pos);
      const x = this._unary();
      this._nesting--;
      return t.text === "*" ? { t: "other", what: "StarExpr", pos: t.pos } : this._node({ t: "unary", op: t.text, x, pos: t.pos }, [x]);
    }
    return this._primary(this._operand());
  }

  private _operand(): GoNode {
    const t = this._next();
    if (t.kind === "IDENT") return { t: "ident", name: t.text, pos: t.pos };
    if (t.kind === "OP" && t.text === "(") {
      const x = this._binary(1);
      this._expect(")");
      return this._node({ t: "paren", x, pos: t.pos }, [x]);
    }
    if (t.kind !== "OP" && t.kind !== "EOF") return { t: "lit", kind: t.kind, text: t.text, pos: t.pos };
    this._i--;
    return this._fail(t, "operand");
  }

  private _primary(x: GoNode): GoNode {
    for (;;) {
      const t = this._peek();
      if (t.kind !== "OP") return x;
      if (t.text === ".") {
        this._next();
        const s = this._next();
        if (s.kind === "IDENT") {
          // Selector chains (`a.b.c`) are flattened iteratively: no extra level.
          const sel: GoNode = { t: "sel", x, sel: s.text, pos: s.pos };
          this._h.set(sel, this._h.get(x) ?? 1);
          x = sel;
        }
        else if (s.kind === "OP" && s.text === "(") {
          this._binary(1);
          this._expect(")");
          x = { t: "other", what: "TypeAssertExpr", pos: s.pos };
        } else return this._fail(s, "selector or type assertion");
      } else if (t.text === "[") {
        x = this._index(x);
      } else if (t.text === "(") {
        this._next();
        const args: GoNode[] = [];
        while (!(this._peek().kind === "OP" && this._peek().text === ")")) {
          args.push(this._binary(1));
          if (this._peek().kind === "OP" && this._peek().text === ",") this._next();
          else break;
        }
        this._expect(")");
        x = this._node({ t: "call", fun: x, args, pos: t.pos }, [x, ...args]);
      } else return x;
    }
  }

  private _index(x: GoNode): GoNode {
    const open = this._next();
    const isColon = (): boolean => this._peek().kind === "OP" && this._peek().text === ":";
    let slice = false;
    let index: GoNode | undefined;
    if (!isColon()) index = this._binary(1);
    while (isColon()) {
      slice = true;
      this._next();
      if (!(this._peek().kind === "OP" && (this._peek().text === "]" || this._peek().text === ":"))) this._binary(1);
    }
    this._expect("]");
    if (slice || !index) return { t: "other", what: "SliceExpr", pos: open.pos };
    return this._node({ t: "index", x, index, pos: open.pos }, [x, index]);
  }
}

function tooDeep(src: string, pos: number): never {
  throw new ExpressionError(
    `unable to parse expression '${echo(src)}': 1:${pos + 1}: expression nested too deeply (more than ${MAX_EXPRESSION_DEPTH} levels of operators, parentheses and calls)`,
    src,
    pos,
  );
}

/** Parses CEXL text into the Mixer AST. Throws ExpressionError with Mixer's messages. */
export function parseExpression(src: string): ExprNode {
  if (src.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(
      `unable to parse expression '${echo(src)}': 1:${MAX_EXPRESSION_LENGTH + 1}: expression too long (${src.length} characters; at most ${MAX_EXPRESSION_LENGTH})`,
      src,
      MAX_EXPRESSION_LENGTH,
    );
  }
  const goAst = new GoParser(src, tokenize(src)).parse();
  return processNode(goAst, src);
}

function unexpected(n: GoNode, src: string): never {
  const what = n.t === "other" ? n.what : n.t;
  throw new ExpressionError(`unexpected expression: ${what} at 1:${n.pos + 1}`, src, n.pos);
}

function processNode(n: GoNode, src: string): ExprNode {
  const fn = (name: string, args: GoNode[], target?: ExprNode): FnNode => ({
    kind: "fn",
    name,
    target,
    args: args.map((a) => processNode(a, src)),
    pos: n.pos,
  });
  switch (n.t) {
    case "unary":
      return fn(OP_NAMES[n.op] ?? "", [n.x]);
    case "binary":
      return fn(OP_NAMES[n.op] ?? "", [n.x, n.y]);
    case "paren":
      return processNode(n.x, src);
    case "lit":
      return literal(n.kind, n.text, src, n.pos);
    case "ident": {
      const lv = n.name.toLowerCase();
      if (lv === "true" || lv === "false") return { kind: "const", text: lv, type: ValueType.BOOL, value: lv === "true", pos: n.pos };
      return { kind: "var", name: n.name, pos: n.pos };
    }
    case "sel": {
      const [anchor, parts] = flattenSelectors(n, src);
      if (anchor) unexpected(n, src);
      return { kind: "var", name: parts.slice().reverse().join("."), pos: n.pos };
    }
    case "index":
      return fn("INDEX", [n.x, n.index]);
    case "call":
      return call(n, src, fn);
    case "other":
      return unexpected(n, src);
  }
}

function call(n: Extract<GoNode, { t: "call" }>, src: string, fn: (name: string, a: GoNode[], t?: ExprNode) => FnNode): ExprNode {
  if (n.fun.t === "ident") return fn(n.fun.name, n.args);
  if (n.fun.t !== "sel") return unexpected(n.fun, src);
  const [anchor, parts] = flattenSelectors(n.fun, src);
  if (!anchor) {
    const name = parts.slice(1).reverse().join(".");
    return fn(parts[0]!, n.args, { kind: "var", name, pos: n.pos });
  }
  if (parts.length !== 1) unexpected(n.fun, src);
  return fn(parts[0]!, n.args, processNode(anchor, src));
}

/** `a.b.c` → [undefined, ["c","b","a"]]; `"x".f` / `f().g` / `(e).g` → [anchor, ["g"]]. */
function flattenSelectors(sel: Extract<GoNode, { t: "sel" }>, src: string): [GoNode | undefined, string[]] {
  const parts: string[] = [];
  let ex: GoNode = sel;
  while (ex.t === "sel") {
    parts.push(ex.sel);
    const x: GoNode = ex.x;
    if (x.t === "ident") {
      parts.push(x.name);
      return [undefined, parts];
    }
    if (x.t === "call" || x.t === "lit" || x.t === "paren") return [x, parts];
    if (x.t !== "sel") unexpected(x, src);
    ex = x;
  }
  return unexpected(ex, src);
}

function literal(kind: Token["kind"], text: string, src: string, pos: number): ExprNode {
  const err = (m: string): never => {
    throw new ExpressionError(m, src, pos);
  };
  if (kind === "INT") {
    const v = goParseInt10(text);
    return typeof v === "string" ? err(v) : { kind: "const", text, type: ValueType.INT64, value: v, pos };
  }
  if (kind === "FLOAT") {
    const v = goParseFloat(text);
    return typeof v === "string" ? err(v) : { kind: "const", text, type: ValueType.DOUBLE, value: v, pos };
  }
  const s = kind === "STRING" || kind === "CHAR" ? goUnquote(text) : undefined;
  if (s === undefined) return err("invalid syntax");
  const d = parseGoDuration(s);
  if (d) return { kind: "const", text, type: ValueType.DURATION, value: d, pos };
  return { kind: "const", text, type: ValueType.STRING, value: s, pos };
}
