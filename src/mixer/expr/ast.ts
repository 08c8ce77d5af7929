/**
 * Mixer's simplified expression AST (mixer/pkg/lang/ast): a constant, an attribute
 * variable or a function call (operators are functions: EQ, LAND, OR, INDEX, ...).
 */
import { ValueType, type Value } from "../attribute/index.js";

export interface ConstNode {
  readonly kind: "const";
  /** Source text of the literal (`"foo"`, `2`, lower-cased bools): used in messages. */
  readonly text: string;
  readonly type: ValueType;
  readonly value: Value;
  /** 0-based offset of the literal in the source (for located errors). */
  readonly pos?: number;
}

export interface VarNode {
  readonly kind: "var";
  readonly name: string;
  readonly pos?: number;
}

export interface FnNode {
  readonly kind: "fn";
  readonly name: string;
  readonly target: ExprNode | undefined;
  readonly args: readonly ExprNode[];
  /** 0-based offset of the operator or call in the source. */
  readonly pos?: number;
}

export type ExprNode = ConstNode | VarNode | FnNode;

/** Mixer's postfix rendering used in type errors: `EQ($a, 2)`, `"x":matches($s)`. */
export function nodeToString(n: ExprNode): string {
  switch (n.kind) {
    case "const":
      return n.text;
    case "var":
      return `$${n.name}`;
    case "fn": {
      const target = n.target ? `${nodeToString(n.target)}:` : "";
      return `${target}${n.name}(${n.args.map(nodeToString).join(", ")})`;
    }
  }
}

/** Attribute names referenced anywhere in the expression (sorted, unique). */
export function referencedNames(n: ExprNode, out = new Set<string>()): string[] {
  if (n.kind === "var") out.add(n.name);
  if (n.kind === "fn") {
    if (n.target) referencedNames(n.target, out);
    for (const a of n.args) referencedNames(a, out);
  }
  return [...out].sort();
}
