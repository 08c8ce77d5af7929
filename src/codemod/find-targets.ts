import { ts } from "./ts.js";
import { classify, hasModifier, isFunctionNode, type FunctionNode } from "./target-kinds.js";
import { functionSegment, hintFromParent, propertyName } from "./naming.js";
import { IGNORE_RE } from "./markers.js";
import { findHeadPos } from "./head-position.js";
import { LOSES_NARROWING, losesNarrowing } from "./narrowing.js";

/** One function to wrap: where its head and tail go. */
export interface FunctionTarget {
  name: string;
  kind: string;
  /** 1-based line passed to the runtime (opening brace, or `=>` of a concise arrow). */
  line: number;
  form: "block" | "concise";
  headPos: number;
  /** Block: position of the closing `}`. Concise: end of the expression. */
  tailPos: number;
  depth: number;
}

/** A function left alone, and why. */
export interface SkippedFunction {
  name: string;
  kind: string;
  line: number;
  reason: string;
}

/** A point inside an instrumented async function or generator where control leaves or comes back. */
export type SuspendPoint =
  | { type: "await" | "yield"; start: number; operandStart: number; operandEnd: number; abut: boolean; unused: boolean; depth: number }
  | { type: "bare-yield"; start: number; end: number; unused: boolean; depth: number }
  | { type: "block-start"; pos: number; depth: number }
  | { type: "for-await"; exprStart: number; exprEnd: number; abut: boolean; bodyStart: number; bodyEnd: number; stmtStart: number; stmtEnd: number; inList: boolean; depth: number };

/** Everything the read-only walk learns about a file. */
export interface Targets {
  functions: FunctionTarget[];
  skipped: SkippedFunction[];
  points: SuspendPoint[];
  /** The file already uses ES2015+ syntax (so `const` is safe to inject). */
  es2015: boolean;
  /** The file has `import`/`export` syntax. */
  esm: boolean;
}

interface Ctx {
  chain: string;
  /** The nearest enclosing function when it is instrumented and async or a generator. */
  suspendOwner: boolean;
  /** Why functions here are left alone (`functrace-ignore`, inside a parameter list), if they are. */
  skip: string | undefined;
}

const IGNORED = "functrace-ignore";
// A function in a parameter list (`function memoize(fn, hasher = v => v)`) stays as written: the
// enclosing function's toString() keeps its parameter list intact, which libraries parse
// (async's autoInject, dependency injection containers).
const IN_PARAMS = "in a parameter list (keeps the parameter list in toString() intact)";

/** Node kinds that take their name from where they are stored (`const f = () => {}`). */
const NAMEABLE = new Set([ts.SyntaxKind.FunctionExpression, ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.ClassExpression, ts.SyntaxKind.ObjectLiteralExpression]);

/*
 * Kind tables for the walk's hot path (one array read instead of a chain of ts.isX calls per node).
 * LEAF: tokens (identifiers, keywords, punctuation, literals): no children, never a function, a
 * statement or a suspension point; the walk does not visit them. A `no-substitution template`
 * literal is a token too, but it marks ES2015 syntax (_noteSyntax), so it is still visited.
 */
const LEAF = 1;
const PASS_HINT = 2; // passes its parent's name hint through to what it wraps: `(fn)`, `fn as T`, `fn!`, `<T>fn`
const TAKES_HINT = 4; // NAMEABLE, PASS_HINT or a conditional: its parent may name it
const KIND = new Uint8Array(ts.SyntaxKind.Count);
for (let k = 0; k < ts.SyntaxKind.FirstNode; k++) if (k !== ts.SyntaxKind.NoSubstitutionTemplateLiteral) KIND[k] |= LEAF;
for (const k of [ts.SyntaxKind.ParenthesizedExpression, ts.SyntaxKind.AsExpression, ts.SyntaxKind.SatisfiesExpression, ts.SyntaxKind.NonNullExpression, ts.SyntaxKind.TypeAssertionExpression]) KIND[k] |= PASS_HINT | TAKES_HINT;
for (const k of [...NAMEABLE, ts.SyntaxKind.ConditionalExpression]) KIND[k] |= TAKES_HINT;

const LIST_PARENTS = new Set([ts.SyntaxKind.Block, ts.SyntaxKind.SourceFile, ts.SyntaxKind.CaseClause, ts.SyntaxKind.DefaultClause, ts.SyntaxKind.ModuleBlock]);

/** Walk a parsed file once, read-only, and collect every function and suspension point. */
export function findTargets(sf: ts.SourceFile, moduleName: string): Targets {
  const walker = new Walker(sf);
  walker.visitChildren(sf, { chain: moduleName, suspendOwner: false, skip: undefined }, undefined);
  return walker.result;
}

class Walker {
  readonly result: Targets = { functions: [], skipped: [], points: [], es2015: false, esm: false };
  private readonly _sf: ts.SourceFile;
  private readonly _text: string;
  private readonly _checkIgnore: boolean;
  private readonly _stack: ts.Node[] = [];
  /** Type-checked: TypeScript, or JavaScript with `// @ts-check`. */
  private readonly _typed: boolean;

  constructor(sf: ts.SourceFile) {
    this._sf = sf;
    this._text = sf.text;
    this._checkIgnore = this._text.includes("functrace-ignore");
    // TypeScript is compiled by the user's toolchain, so ES2015 syntax is always safe there.
    this.result.es2015 = /\.[cm]?tsx?$/i.test(sf.fileName);
    this._typed = this.result.es2015 || /^\s*\/\/\s*@ts-check\b/m.test(this._text.slice(0, 4096));
  }

  visitChildren(node: ts.Node, ctx: Ctx, hint: string | undefined): void {
    this._stack.push(node);
    ts.forEachChild(node, (child) => {
      if (KIND[child.kind] & LEAF) return;
      this.visit(child, ctx, childHint(node, child, hint, this._sf));
    });
    this._stack.pop();
  }

  private visit(node: ts.Node, ctx: Ctx, hint: string | undefined): void {
    if (KIND[node.kind] & LEAF) return;
    if (this._checkIgnore && ctx.skip !== IGNORED && this._hasIgnoreComment(node)) ctx = { ...ctx, skip: IGNORED };
    this._noteSyntax(node);
    if (isFunctionNode(node)) return this._visitFunction(node, ctx, hint);
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) return this._visitClass(node, ctx, hint);
    if (ts.isObjectLiteralExpression(node) && hint) return this.visitChildren(node, { ...ctx, chain: `${ctx.chain}.${hint}` }, undefined);
    if (ctx.suspendOwner) this._notePoint(node, ctx);
    this.visitChildren(node, ctx, hint);
  }

  private _visitFunction(node: FunctionNode, ctx: Ctx, hint: string | undefined): void {
    const handling = classify(node);
    const line = this._lineOf(functionLinePos(node, this._sf));
    const name = `${ctx.chain}.${functionSegment(node, hint, line, this._sf)}`;
    let wrapped = false;
    if (ctx.skip) this.result.skipped.push({ name, kind: handling.kind, line, reason: ctx.skip });
    else if (handling.action === "skip") this.result.skipped.push({ name, kind: handling.kind, line, reason: handling.reason });
    else if (this._typed && losesNarrowing(node)) this.result.skipped.push({ name, kind: handling.kind, line, reason: LOSES_NARROWING });
    else wrapped = this._addTarget(node, name, handling.kind, line);
    const suspends = wrapped && (!!node.asteriskToken || hasModifier(node, ts.SyntaxKind.AsyncKeyword));
    const inner: Ctx = { chain: name, suspendOwner: suspends, skip: ctx.skip };
    const params: Ctx = { ...inner, skip: ctx.skip ?? IN_PARAMS };
    this._stack.push(node);
    ts.forEachChild(node, (child) => {
      // Decorators and computed names run in the enclosing function, not in this one.
      const outer = child === node.name || ts.isDecorator(child);
      this.visit(child, outer ? ctx : ts.isParameter(child) ? params : inner, undefined);
    });
    this._stack.pop();
  }

  private _addTarget(node: FunctionNode, name: string, kind: string, line: number): boolean {
    const body = node.body as ts.ConciseBody;
    const depth = this._stack.length;
    if (!ts.isBlock(body)) {
      this.result.functions.push({ name, kind, line, form: "concise", headPos: body.getStart(this._sf), tailPos: body.end, depth });
      return true;
    }
    const headPos = findHeadPos(node, body, this._sf, this._stack[this._stack.length - 1]);
    if (headPos === undefined) {
      this.result.skipped.push({ name, kind, line, reason: "directive prologue without a semicolon on the same line as code" });
      return false;
    }
    this.result.functions.push({ name, kind, line, form: "block", headPos, tailPos: body.end - 1, depth });
    return true;
  }

  private _visitClass(node: ts.ClassLikeDeclaration, ctx: Ctx, hint: string | undefined): void {
    const own = node.name ? node.name.text : (hint ?? (ts.isClassDeclaration(node) ? "default" : "<class>"));
    const inner: Ctx = { ...ctx, chain: `${ctx.chain}.${own}` };
    this._stack.push(node);
    ts.forEachChild(node, (child) => {
      const outer = ts.isHeritageClause(child) || ts.isDecorator(child);
      this.visit(child, outer ? ctx : inner, undefined);
    });
    this._stack.pop();
  }

  private _notePoint(node: ts.Node, ctx: Ctx): void {
    const depth = this._stack.length;
    const sf = this._sf;
    if (ts.isAwaitExpression(node) || (ts.isYieldExpression(node) && node.expression)) {
      const operand = node.expression as ts.Expression;
      const type = ts.isAwaitExpression(node) ? "await" : "yield";
      const operandStart = operand.getStart(sf);
      const abut = abutsWord(this._text, operandStart);
      const unused = type === "yield" && this._resultUnused(node);
      this.result.points.push({ type, start: node.getStart(sf), operandStart, operandEnd: operand.end, abut, unused, depth });
    } else if (ts.isYieldExpression(node)) {
      this.result.points.push({ type: "bare-yield", start: node.getStart(sf), end: node.end, unused: this._resultUnused(node), depth });
    } else if (ts.isCatchClause(node)) {
      this.result.points.push({ type: "block-start", pos: node.block.getStart(sf) + 1, depth });
    } else if (ts.isTryStatement(node) && node.finallyBlock) {
      this.result.points.push({ type: "block-start", pos: node.finallyBlock.getStart(sf) + 1, depth });
    } else if (ts.isForOfStatement(node) && node.awaitModifier) {
      this._noteForAwait(node, depth);
    }
    void ctx;
  }

  /** TypeScript's `expressionResultIsUnused`: statement position, `void`, comma operands, `for` clauses. */
  private _resultUnused(node: ts.Node): boolean {
    let i = this._stack.length - 1;
    let child: ts.Node = node;
    for (;;) {
      const parent = this._stack[i];
      if (!parent) return false;
      if (ts.isParenthesizedExpression(parent)) {
        child = parent;
        i--;
        continue;
      }
      if (ts.isExpressionStatement(parent) || ts.isVoidExpression(parent)) return true;
      if (ts.isForStatement(parent)) return parent.initializer === child || parent.incrementor === child;
      if (!ts.isBinaryExpression(parent) || parent.operatorToken.kind !== ts.SyntaxKind.CommaToken) return false;
      if (parent.left === child) return true;
      child = parent;
      i--;
    }
  }

  private _noteForAwait(node: ts.ForOfStatement, depth: number): void {
    const sf = this._sf;
    // The statement that holds the loop, through any labels: `outer: for await (...)`.
    let stmt: ts.Statement = node;
    let i = this._stack.length - 1;
    while (i >= 0 && ts.isLabeledStatement(this._stack[i])) stmt = this._stack[i--] as ts.Statement;
    const inList = i >= 0 && LIST_PARENTS.has(this._stack[i].kind);
    this.result.points.push({
      type: "for-await",
      exprStart: node.expression.getStart(sf),
      abut: abutsWord(this._text, node.expression.getStart(sf)),
      exprEnd: node.expression.end,
      bodyStart: node.statement.getStart(sf),
      bodyEnd: node.statement.end,
      stmtStart: stmt.getStart(sf),
      stmtEnd: stmt.end,
      inList,
      depth,
    });
  }

  private _noteSyntax(node: ts.Node): void {
    if (this._stack.length === 1 && !this.result.esm && isModuleSyntax(node)) this.result.esm = this.result.es2015 = true;
    if (this.result.es2015) return;
    if (ts.isVariableDeclarationList(node) && node.flags & ts.NodeFlags.BlockScoped) this.result.es2015 = true;
    else if (ts.isArrowFunction(node) || ts.isClassLike(node) || ts.isTemplateExpression(node) || ts.isForOfStatement(node)) this.result.es2015 = true;
    else if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isSpreadElement(node) || ts.isBindingElement(node)) this.result.es2015 = true;
    else if (isFunctionNode(node) && (node.asteriskToken || hasModifier(node, ts.SyntaxKind.AsyncKeyword))) this.result.es2015 = true;
  }

  private _hasIgnoreComment(node: ts.Node): boolean {
    if (!(isFunctionNode(node) || ts.isStatement(node) || ts.isClassElement(node) || ts.isPropertyAssignment(node))) return false;
    const ranges = ts.getLeadingCommentRanges(this._text, node.pos);
    return !!ranges && ranges.some((r) => IGNORE_RE.test(this._text.slice(r.pos, r.end)));
  }

  private _lineOf(pos: number): number {
    return this._sf.getLineAndCharacterOfPosition(pos).line + 1;
  }
}

/**
 * The name hint a child gets: what its parent names it (`const f = ...`, `exports.f = ...`), passed
 * through wrappers that do not change the value (`(fn)`, `fn as T`) and both arms of a
 * conditional (`const log = debug ? (...a) => {...} : () => {}`).
 */
function childHint(node: ts.Node, child: ts.Node, hint: string | undefined, sf: ts.SourceFile): string | undefined {
  if (KIND[node.kind] & PASS_HINT) return hint;
  if (ts.isConditionalExpression(node)) return child === node.whenTrue || child === node.whenFalse ? hint : undefined;
  if (KIND[child.kind] & TAKES_HINT) return hintFromParent(node, child, sf);
  return undefined;
}

/** Where the runtime's `line` points: the body's `{`, or the `=>` of a concise arrow. */
function functionLinePos(node: FunctionNode, sf: ts.SourceFile): number {
  if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) return node.equalsGreaterThanToken.getStart(sf);
  return node.body ? node.body.getStart(sf) : node.getStart(sf);
}

/** True when the text right before `pos` is a word character (`await(x)`, `of[a]`): an insertion there needs a separator. */
function abutsWord(text: string, pos: number): boolean {
  return /[\p{ID_Continue}$\u200c\u200d]/u.test(text.charAt(pos - 1));
}

function isModuleSyntax(node: ts.Node): boolean {
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isExportAssignment(node)) return true;
  if (ts.isImportEqualsDeclaration(node)) return false;
  return hasModifier(node, ts.SyntaxKind.ExportKeyword);
}

export { propertyName };
