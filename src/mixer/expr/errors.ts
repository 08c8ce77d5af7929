/**
 * Errors of the expression language: compile-time (`ExpressionError`: parse and type
 * errors) and run-time (`EvaluationError`: missing attribute, bad conversion).
 */

import { capMessage } from "../attribute/index.js";

/** Parse or type-check failure. `message` is Mixer's text; `expression` the source. */
export class ExpressionError extends Error {
  readonly expression: string;
  /** 0-based offset in `expression` when known (parse errors). */
  readonly position: number | undefined;
  constructor(message: string, expression: string, position?: number) {
    super(capMessage(message));
    this.name = "ExpressionError";
    this.expression = expression;
    this.position = position;
  }
}

/** Evaluation failure, e.g. `lookup failed: 'request.size'`. */
export class EvaluationError extends Error {
  constructor(message: string) {
    super(capMessage(message));
    this.name = "EvaluationError";
  }
}
