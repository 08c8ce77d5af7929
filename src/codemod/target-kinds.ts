import { ts } from "./ts.js";

/** How one function-like node is handled. */
export type Handling =
  | { action: "wrap"; kind: string }
  | { action: "skip"; kind: string; reason: string };

type FunctionNode =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration
  | ts.ConstructorDeclaration;

interface KindEntry {
  kind: string;
}

/** One wording for every function without a body, whatever its kind. */
export const NO_BODY = "no body (overload, abstract or declare)";

// The one table of instrumented node kinds (istanbul `codeVisitor` style). Everything else is
// not a function: class static blocks, signatures in interfaces and types, and so on.
const TABLE = new Map<ts.SyntaxKind, KindEntry>([
  [ts.SyntaxKind.FunctionDeclaration, { kind: "function" }],
  [ts.SyntaxKind.FunctionExpression, { kind: "function expression" }],
  [ts.SyntaxKind.ArrowFunction, { kind: "arrow" }],
  [ts.SyntaxKind.MethodDeclaration, { kind: "method" }],
  [ts.SyntaxKind.GetAccessor, { kind: "getter" }],
  [ts.SyntaxKind.SetAccessor, { kind: "setter" }],
  [ts.SyntaxKind.Constructor, { kind: "constructor" }],
]);

/** Is this node one of the function kinds the table knows? */
export function isFunctionNode(node: ts.Node): node is FunctionNode {
  return TABLE.has(node.kind);
}

/** The table entry for a function node: wrap it, or skip it with a reason. */
export function classify(node: FunctionNode): Handling {
  const entry = TABLE.get(node.kind) as KindEntry;
  let kind = entry.kind;
  if (node.asteriskToken) kind = `generator ${kind}`;
  if (hasModifier(node, ts.SyntaxKind.AsyncKeyword)) kind = `async ${kind}`;
  if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) kind = "arrow (concise body)";
  if (!node.body) return { action: "skip", kind, reason: NO_BODY };
  return { action: "wrap", kind };
}

/** True when the node carries the given modifier keyword. */
export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const mods = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  return !!mods && mods.some((m) => m.kind === kind);
}

export type { FunctionNode };
