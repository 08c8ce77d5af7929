import { ts } from "./ts.js";

// Stable, readable span names: `module.Class.method`, `module.outer.<anonymous>@line`. Names are
// built from the source text only (no type checker), so the same file always gives the same names.

const MAX_COMPUTED = 40;

/** `<anonymous>@12`: the name of a function that has none, keyed by its line. */
export function anonymous(line: number): string {
  return `<anonymous>@${line}`;
}

/** The text of a property or member name: `x`, `#x`, `"a b"`, `[Symbol.iterator]`. */
export function propertyName(name: ts.PropertyName | ts.PrivateIdentifier, sf: ts.SourceFile): string {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const text = name.expression.getText(sf);
    return text.length <= MAX_COMPUTED && !/[\r\n]/.test(text) ? `[${text}]` : "[computed]";
  }
  return "[computed]";
}

/** The name an assignment target gives a function: `exports.f` → `f`, `A.prototype.m` → `A.m`. */
export function assignmentName(target: ts.Expression): string | undefined {
  const parts: string[] = [];
  let node: ts.Expression = target;
  while (ts.isPropertyAccessExpression(node)) {
    parts.unshift(node.name.text);
    node = node.expression;
  }
  if (ts.isIdentifier(node)) parts.unshift(node.text);
  else if (node.kind !== ts.SyntaxKind.ThisKeyword || parts.length === 0) return undefined;
  const exportsObject = (parts[0] === "module" && parts[1] === "exports" && parts.length === 2) || (parts[0] === "exports" && parts.length === 1);
  if (exportsObject) return "default"; // `module.exports = fn`: the module's default export
  if (parts[0] === "module" && parts[1] === "exports") parts.splice(0, 2);
  else if (parts[0] === "exports") parts.splice(0, 1);
  const kept = parts.filter((p) => p !== "prototype");
  return kept.length > 0 ? kept.join(".") : undefined;
}

/** The name a parent gives the function/class/object literal in `child`, when it gives one. */
export function hintFromParent(parent: ts.Node, child: ts.Node, sf: ts.SourceFile): string | undefined {
  if (ts.isVariableDeclaration(parent) && parent.initializer === child) {
    return ts.isIdentifier(parent.name) ? parent.name.text : undefined;
  }
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.initializer === child) {
    return propertyName(parent.name, sf);
  }
  if (ts.isBinaryExpression(parent) && parent.right === child && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    return assignmentName(parent.left);
  }
  if (ts.isExportAssignment(parent)) return "default";
  return undefined;
}

/** The own segment of a function: its name, its accessor/constructor form, or the hint. */
export function functionSegment(node: ts.Node, hint: string | undefined, line: number, sf: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return "constructor";
  if (ts.isGetAccessorDeclaration(node)) return `get ${propertyName(node.name, sf)}`;
  if (ts.isSetAccessorDeclaration(node)) return `set ${propertyName(node.name, sf)}`;
  if (ts.isMethodDeclaration(node)) return propertyName(node.name, sf);
  const own = (node as ts.FunctionDeclaration).name;
  // The place a function expression is stored says more than its own name: `A.prototype.m = function m()` → `A.m`.
  if (hint !== undefined && !ts.isFunctionDeclaration(node)) return hint;
  if (own && ts.isIdentifier(own)) return own.text;
  return ts.isFunctionDeclaration(node) ? "default" : anonymous(line);
}

/** Default module name for a file: its base name without extensions (`index` → its folder). */
export function defaultModuleName(fileName: string): string {
  const parts = fileName.split(/[\\/]/).filter((p) => p.length > 0);
  const base = (parts.pop() ?? "module").replace(/\.(?:d\.)?[cm]?[jt]sx?$/, "");
  if (base === "index" && parts.length > 0) return parts[parts.length - 1];
  return base;
}
