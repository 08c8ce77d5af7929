import { ts } from "./ts.js";

/**
 * Where a block body's head goes. Usually right after `{`; after the directive prologue when
 * there is one (`'use strict'` must stay first); after a root-level `super(...)` in a derived
 * constructor (TypeScript wants `super()` as a root-level statement when the class has
 * initialised properties, and nothing may touch `this` before it). `undefined` means no safe
 * place on the existing lines.
 */
export function findHeadPos(node: ts.Node, body: ts.Block, sf: ts.SourceFile, parent: ts.Node | undefined): number | undefined {
  const statements = body.statements;
  let i = 0;
  while (i < statements.length && isDirective(statements[i])) i++;
  if (i > 0) return afterStatement(statements[i - 1], body, i, sf);
  if (ts.isConstructorDeclaration(node) && parent && isDerived(parent)) {
    const at = statements.findIndex(isSuperCall);
    if (at >= 0) return afterStatement(statements[at], body, at + 1, sf) ?? body.getStart(sf) + 1;
  }
  return body.getStart(sf) + 1;
}

function isDirective(stmt: ts.Statement): boolean {
  return ts.isExpressionStatement(stmt) && ts.isStringLiteral(stmt.expression);
}

function isSuperCall(stmt: ts.Statement): boolean {
  return ts.isExpressionStatement(stmt) && ts.isCallExpression(stmt.expression) && stmt.expression.expression.kind === ts.SyntaxKind.SuperKeyword;
}

function isDerived(cls: ts.Node): boolean {
  if (!ts.isClassDeclaration(cls) && !ts.isClassExpression(cls)) return false;
  return !!cls.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword && !h.types.some((t) => t.expression.kind === ts.SyntaxKind.NullKeyword));
}

/**
 * Right after `stmt` when it ends with `;`. Otherwise at the start of whatever follows it (the
 * next statement or the closing brace) when that is on a later line, so ASI still ends `stmt`.
 */
function afterStatement(stmt: ts.Statement, body: ts.Block, nextIndex: number, sf: ts.SourceFile): number | undefined {
  if (sf.text.charCodeAt(stmt.end - 1) === 59 /* ; */) return stmt.end;
  const next = nextIndex < body.statements.length ? body.statements[nextIndex].getStart(sf) : body.end - 1;
  const stmtLine = sf.getLineAndCharacterOfPosition(stmt.end).line;
  return sf.getLineAndCharacterOfPosition(next).line > stmtLine ? next : undefined;
}
