/**
 * Public entry points: compile once (parse + type check + closures), evaluate many times.
 */
import type { AttributeDescriptorFinder, Bag, Value, ValueType } from "../attribute/index.js";
import { parseExpression } from "./parser.js";
import { inferType } from "./checker.js";
import { compileNode } from "./compile.js";
import { referencedNames } from "./ast.js";
import type { ReferencedAttributes } from "./referenced.js";

/** A compiled CEXL expression. */
export interface CompiledExpression {
  readonly text: string;
  /** The inferred result type. */
  readonly type: ValueType;
  /** Attribute names the expression may read (sorted). */
  readonly attributes: readonly string[];
  /**
   * Evaluates against `bag`; reads are recorded into `refs` when given.
   * Throws EvaluationError (e.g. `lookup failed: 'a'`).
   */
  evaluate(bag: Bag, refs?: ReferencedAttributes): Value;
}

/** Parses, type-checks and compiles `text`; throws ExpressionError. */
export function compileExpression(text: string, finder: AttributeDescriptorFinder): CompiledExpression {
  const ast = parseExpression(text);
  const memo = new Map();
  const type = inferType(ast, finder, text, memo);
  const ev = compileNode(ast, finder, text, memo);
  return Object.freeze({
    text,
    type,
    attributes: Object.freeze(referencedNames(ast)),
    // The compiled closure itself: no wrapper frame per evaluation.
    evaluate: ev as (bag: Bag, refs?: ReferencedAttributes) => Value,
  });
}

/** Type of `text` without compiling evaluators; throws ExpressionError. */
export function checkExpression(text: string, finder: AttributeDescriptorFinder): ValueType {
  return inferType(parseExpression(text), finder, text);
}

/** Compile-and-evaluate convenience (tests, CLI one-offs). */
export function evaluateOnce(text: string, bag: Bag, finder: AttributeDescriptorFinder, refs?: ReferencedAttributes): Value {
  return compileExpression(text, finder).evaluate(bag, refs);
}
