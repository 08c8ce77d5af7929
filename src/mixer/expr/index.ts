/** Mixer expression language (CEXL): compile once, evaluate against attribute bags. */
export { compileExpression, checkExpression, evaluateOnce } from "./expression.js";
export type { CompiledExpression } from "./expression.js";
export { ExpressionError, EvaluationError } from "./errors.js";
export { ReferencedAttributes, Presence } from "./referenced.js";
export type { AttributeMatch } from "./referenced.js";
export { FUNCTIONS, functionNames } from "./functions.js";
export type { FunctionMetadata } from "./functions.js";
export { parseExpression, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH } from "./parser.js";
export { nodeToString } from "./ast.js";
export type { ExprNode } from "./ast.js";
