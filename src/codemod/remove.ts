import { ts } from "./ts.js";
import { applyEdits, type TextEdit } from "./apply-edits.js";
import { parseFile } from "./parse.js";
import { findImport } from "./remove-import.js";
import * as t from "./templates.js";
import { RESERVED } from "./markers.js";

// Today's texts first, then those of older versions (still removable).
const RESUME_STMTS = [t.RESUME_STMT, t.LEGACY.RESUME_STMT];
const BLOCK_TAILS = [t.BLOCK_TAIL, t.LEGACY.BLOCK_TAIL];
const CONCISE_TAILS = [t.CONCISE_TAIL, t.LEGACY.CONCISE_TAIL];

const ENTER = String.raw`__ft\.enter\("(?:[^"\\]|\\.)*", "(?:[^"\\]|\\.)*", \d+\)`;
/** Older heads: `const __ft_t = __ft.enter(...)` before the `try`. */
const HEAD_RE = new RegExp(`^(const|var) __ft_t = (${ENTER});$`);
/** Today's head: `let __ft_t = __ft.NOOP;` before the `try`, whose first statement is `__ft_t = __ft.enter(...);`. */
const TOKEN_RE = /^(let|var) __ft_t = __ft\.NOOP;$/;
const ASSIGN_RE = new RegExp(`^__ft_t = (${ENTER});$`);

/** Injected code that no longer matches its template exactly (edited by hand, reformatted). */
export class RemoveError extends Error {
  constructor(sf: ts.SourceFile, pos: number, what: string) {
    const { line, character } = sf.getLineAndCharacterOfPosition(pos);
    super(`${sf.fileName}:${line + 1}:${character + 1}: cannot remove ${what}: it no longer matches the injected template`);
    this.name = "RemoveError";
  }
}

/**
 * Take out exactly what functrace-gen injected, by exact inverse text edits; the result is
 * byte-identical to the text before instrumentation. Text without the runtime import is
 * returned unchanged. Throws RemoveError when an injected piece was altered.
 */
export function removeInstrumentation(text: string, fileName = "file.ts"): string {
  if (!text.includes(RESERVED.token) && !text.includes(`${RESERVED.api} }`) && !text.includes(`${RESERVED.api} =`)) return text;
  const sf = parseFile(text, fileName, true);
  const importDel = findImport(sf);
  if (!importDel) return text;
  const remover = new Remover(sf);
  remover.visit(sf);
  return applyEdits(text, [importDel, ...remover.edits]);
}

class Remover {
  readonly edits: TextEdit[] = [];
  private readonly _sf: ts.SourceFile;
  private readonly _text: string;

  constructor(sf: ts.SourceFile) {
    this._sf = sf;
    this._text = sf.text;
  }

  visit(node: ts.Node): void {
    if (ts.isBlock(node)) this._block(node);
    else if (ts.isCallExpression(node)) this._call(node);
    else if (ts.isVoidExpression(node)) this._unusedYield(node);
    else if (ts.isForOfStatement(node) && node.awaitModifier) this._forAwait(node);
    ts.forEachChild(node, (child) => this.visit(child));
  }

  /** Delete `[pos, end)` after checking it holds exactly `expected` (or one of the alternatives: today's text, then older ones). */
  private _cut(pos: number, end: number, expected: string | readonly string[], what: string): void {
    const slice = this._text.slice(pos, end);
    if (typeof expected === "string" ? slice !== expected : !expected.includes(slice)) throw new RemoveError(this._sf, pos, what);
    this.edits.push({ pos, end, text: "", rank: 0 });
  }

  /** Delete the text that ends at `end` and is exactly one of `expected`. */
  private _cutEndingAt(end: number, expected: readonly string[], what: string): void {
    const found = expected.find((e) => this._text.startsWith(e, end - e.length));
    if (found === undefined) throw new RemoveError(this._sf, end, what);
    this.edits.push({ pos: end - found.length, end, text: "", rank: 0 });
  }

  private _block(block: ts.Block): void {
    const stmts = block.statements;
    for (let i = 0; i < stmts.length; i++) {
      if (!ts.isVariableStatement(stmts[i]) || !/^(?:const|let|var) __ft_t /.test(this._text.substr(stmts[i].getStart(this._sf), 13))) continue;
      const text = stmts[i].getText(this._sf);
      const old = HEAD_RE.exec(text);
      if (old) {
        this._wrapper(block, stmts[i], stmts[i + 1], old[1] as t.DeclKeyword, old[2], false);
        continue;
      }
      const head = TOKEN_RE.exec(text);
      const next = stmts[i + 1];
      const first = next && ts.isTryStatement(next) ? next.tryBlock.statements[0] : undefined;
      const assign = first ? ASSIGN_RE.exec(first.getText(this._sf)) : null;
      if (!head) continue;
      if (!assign) throw new RemoveError(this._sf, stmts[i].getStart(this._sf), "a function wrapper");
      this._wrapper(block, stmts[i], next, head[1] === "let" ? "const" : "var", assign[1], true);
    }
    const first = stmts[0];
    const open = block.getStart(this._sf) + 1;
    if (first && isResumeStmt(first, this._sf) && RESUME_STMTS.some((r) => first.end - open === r.length)) {
      const p = block.parent;
      if (ts.isCatchClause(p) || (ts.isTryStatement(p) && p.finallyBlock === block)) this._cut(open, first.end, RESUME_STMTS, "a catch/finally resume");
    }
  }

  /** `entered`: today's head, whose `try` starts with the `enter` assignment (the head ends after it). */
  private _wrapper(block: ts.Block, head: ts.Statement, next: ts.Statement | undefined, decl: t.DeclKeyword, enter: string, entered: boolean): void {
    const sf = this._sf;
    if (!next || !ts.isTryStatement(next)) throw new RemoveError(sf, head.getStart(sf), "a function wrapper");
    const tryStart = next.tryBlock.getStart(sf);
    const fn = block.parent;
    const body = entered ? next.tryBlock.statements.slice(1) : next.tryBlock.statements;
    const only = body.length === 1 ? body[0] : undefined;
    const concise = entered ? [t.conciseHead(decl, enter)] : [t.PREVIOUS.conciseHead(decl, enter), t.LEGACY.conciseHead(decl, enter)];
    if (ts.isArrowFunction(fn) && fn.body === block && only && ts.isReturnStatement(only) && only.expression && CONCISE_TAILS.some((tail) => this._text.endsWith(tail, block.end))) {
      const start = block.getStart(sf);
      if (concise.includes(this._text.slice(start, only.expression.getStart(sf)))) {
        this._cut(start, only.expression.getStart(sf), concise, "a concise-arrow head");
        this._cut(only.expression.end, block.end, CONCISE_TAILS, "a concise-arrow tail");
        return;
      }
    }
    if (entered) this._cutEndingAt(next.tryBlock.statements[0].end, [t.blockHead(decl, enter)], "a function head");
    else this._cutEndingAt(tryStart + 1, [t.PREVIOUS.blockHead(decl, enter), t.LEGACY.blockHead(decl, enter)], "a function head");
    this._cut(next.tryBlock.end - 1, next.end + 1, BLOCK_TAILS, "a function tail");
  }

  private _call(call: ts.CallExpression): void {
    if (!isApiCall(call, "resume") || call.arguments.length !== 2) return;
    const sf = this._sf;
    const inner = call.arguments[1];
    if (!ts.isAwaitExpression(inner) && !ts.isYieldExpression(inner)) throw new RemoveError(sf, call.getStart(sf), "a resume call");
    this._cut(call.getStart(sf), inner.getStart(sf), t.RESUME_OPEN, "a resume call");
    this._suspendOperand(inner);
    this._cut(inner.end, call.end, t.RESUME_CLOSE, "a resume call");
  }

  /** `void (yield __ft.suspend(__ft_t, e), __ft.resume(__ft_t))`: a yield whose result is unused. */
  private _unusedYield(node: ts.VoidExpression): void {
    const paren = node.expression;
    if (!ts.isParenthesizedExpression(paren)) return;
    const comma = paren.expression;
    if (!ts.isBinaryExpression(comma) || comma.operatorToken.kind !== ts.SyntaxKind.CommaToken || !ts.isYieldExpression(comma.left)) return;
    if (!ts.isCallExpression(comma.right) || !isApiCall(comma.right, "resume") || comma.right.arguments.length !== 1) return;
    const sf = this._sf;
    this._cut(node.getStart(sf), comma.left.getStart(sf), t.UNUSED_OPEN, "a yield");
    this._suspendOperand(comma.left);
    this._cut(comma.left.end, paren.end, t.UNUSED_CLOSE, "a yield");
  }

  /** The `__ft.suspend(__ft_t, e)` operand of an await/yield, in its plain, parenthesised or bare-yield form. */
  private _suspendOperand(node: ts.AwaitExpression | ts.YieldExpression): void {
    const sf = this._sf;
    const operand = node.expression;
    if (!operand) throw new RemoveError(sf, node.getStart(sf), "a suspend call");
    const paren = ts.isParenthesizedExpression(operand) && operand.getStart(sf) === operand.pos ? operand : undefined;
    const suspend = paren ? paren.expression : operand;
    if (!ts.isCallExpression(suspend) || !isApiCall(suspend, "suspend") || suspend.arguments.length !== 2) throw new RemoveError(sf, node.getStart(sf), "a suspend call");
    const value = suspend.arguments[1];
    if (paren && ts.isYieldExpression(node) && value.getText(sf) === "void 0") return this._cut(paren.getStart(sf), paren.end, t.BARE_SUSPEND, "a bare yield");
    this._cut(operand.getStart(sf), value.getStart(sf), paren ? t.PAREN_OPEN + t.SUSPEND_OPEN : t.SUSPEND_OPEN, "a suspend call");
    this._cut(value.end, operand.end, paren ? t.SUSPEND_CLOSE + t.PAREN_CLOSE : t.SUSPEND_CLOSE, "a suspend call");
  }

  private _forAwait(loop: ts.ForOfStatement): void {
    const sf = this._sf;
    const expr = loop.expression;
    const paren = ts.isParenthesizedExpression(expr) && expr.getStart(sf) === expr.pos ? expr : undefined;
    const iter = paren ? paren.expression : expr;
    if (!ts.isCallExpression(iter) || !isApiCall(iter, "iter")) return;
    const value = iter.arguments[1];
    this._cut(expr.getStart(sf), value.getStart(sf), paren ? t.PAREN_OPEN + t.ITER_OPEN : t.ITER_OPEN, "a for-await iterator");
    this._cut(value.end, expr.end, paren ? t.PAREN_CLOSE + t.ITER_CLOSE : t.ITER_CLOSE, "a for-await iterator");
    const body = loop.statement;
    if (!ts.isBlock(body) || body.statements.length !== 2) throw new RemoveError(sf, body.getStart(sf), "a for-await body");
    this._cut(body.getStart(sf), body.statements[1].getStart(sf), [t.LOOP_BODY_OPEN, t.LEGACY.LOOP_BODY_OPEN], "a for-await body");
    this._cut(body.statements[1].end, body.end, t.LOOP_BODY_CLOSE, "a for-await body");
    this._afterLoop(loop);
  }

  private _afterLoop(loop: ts.ForOfStatement): void {
    const sf = this._sf;
    let stmt: ts.Statement = loop;
    while (ts.isLabeledStatement(stmt.parent)) stmt = stmt.parent;
    const list = (stmt.parent as { statements?: ts.NodeArray<ts.Statement> }).statements;
    const next = list ? list[list.indexOf(stmt) + 1] : undefined;
    if (!next || !isResumeStmt(next, sf)) throw new RemoveError(sf, stmt.end, "the resume after a for-await loop");
    if (next.getText(sf).endsWith(";")) return this._cut(stmt.end, next.end, [t.AFTER_LOOP, t.LEGACY.AFTER_LOOP], "the resume after a for-await loop");
    const wrap = stmt.parent;
    this._cut(wrap.getStart(sf), stmt.getStart(sf), t.WRAP_LOOP_OPEN, "a for-await wrapper");
    this._cut(stmt.end, wrap.end, [t.WRAP_LOOP_CLOSE, t.LEGACY.WRAP_LOOP_CLOSE], "a for-await wrapper");
  }
}

function isApiCall(call: ts.CallExpression, method: string): boolean {
  const callee = call.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === RESERVED.api &&
    callee.name.text === method &&
    call.arguments.length >= 1 &&
    ts.isIdentifier(call.arguments[0]) &&
    call.arguments[0].text === RESERVED.token
  );
}

function isResumeStmt(stmt: ts.Statement, sf: ts.SourceFile): boolean {
  return ts.isExpressionStatement(stmt) && /^__ft\.resume\(__ft_t\);?$/.test(stmt.getText(sf));
}
