import { ts } from "./ts.js";
import type { FunctionNode } from "./target-kinds.js";

/*
 * TypeScript (5.4+) keeps a narrowing inside a closure created after a parameter's last
 * assignment: `ctx ??= new Ctx(); items.map(() => use(ctx))` sees `Ctx`. But it extends the "last
 * assignment" to the end of every enclosing `try` statement (checker.ts, extendAssignmentPosition),
 * and the wrapper's `try` encloses the whole body, which has the parameter declared outside it.
 * No injected shape can catch exceptions without a `try` around the body, so such a function is
 * left alone rather than have its types change. Locals declared in the body are not affected (the
 * walk stops at their declaration, inside the `try`).
 */
export const LOSES_NARROWING = "a parameter assigned and then read in a closure (the wrapper's try would lose TypeScript's narrowing)";

const ASSIGNMENTS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
]);

/** Would wrapping this function's body in `try` change what TypeScript infers inside its closures? */
export function losesNarrowing(node: FunctionNode): boolean {
  const body = node.body;
  if (!body || !ts.isBlock(body)) return false;
  const names = new Set<string>();
  for (const p of node.parameters) if (ts.isIdentifier(p.name) && mayNarrow(p)) names.add(p.name.text);
  if (names.size === 0) return false;
  const assigned = new Map<string, number>();
  let found = false;
  const visit = (n: ts.Node, nested: boolean): void => {
    if (found) return;
    if (!nested && ts.isBinaryExpression(n) && ASSIGNMENTS.has(n.operatorToken.kind) && ts.isIdentifier(n.left) && names.has(n.left.text)) {
      assigned.set(n.left.text, n.end);
    } else if (nested && ts.isIdentifier(n) && (assigned.get(n.text) ?? Infinity) < n.pos) {
      found = true;
      return;
    }
    ts.forEachChild(n, (c) => visit(c, nested || ts.isFunctionLike(c) || ts.isClassLike(c)));
  };
  visit(body, false);
  return found;
}

/** A parameter whose declared type an assignment can narrow: optional, a union, `unknown`, or not annotated. */
function mayNarrow(p: ts.ParameterDeclaration): boolean {
  if (p.questionToken || !p.type) return true;
  return ts.isUnionTypeNode(p.type) || p.type.kind === ts.SyntaxKind.UnknownKeyword;
}
