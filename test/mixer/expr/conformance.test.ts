import { createBag, finderFromTypes, valuesEqual, formatValue } from "../../../src/mixer/attribute/index.js";
import {
  checkExpression,
  compileExpression,
  EvaluationError,
  ExpressionError,
  ReferencedAttributes,
} from "../../../src/mixer/expr/index.js";
import { CASES, COMPILE_ERRORS, TYPES } from "./cases.js";

const finder = finderFromTypes(TYPES);

describe("CEXL conformance table", () => {
  test.each(CASES.map((c) => [c.E, c] as const))("%s", (_e, c) => {
    if (c.CompileErr !== undefined) {
      expect(() => compileExpression(c.E, finder)).toThrow(ExpressionError);
      expect(() => compileExpression(c.E, finder)).toThrow(c.CompileErr);
      return;
    }
    const expr = compileExpression(c.E, finder);
    const refs = new ReferencedAttributes();
    const bag = createBag(c.I ?? {});
    if (c.Err !== undefined) {
      let err: unknown;
      try {
        expr.evaluate(bag, refs);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(EvaluationError);
      expect((err as Error).message).toBe(c.Err);
    } else {
      const v = expr.evaluate(bag, refs);
      if (!valuesEqual(v, c.R)) throw new Error(`got ${formatValue(v)} (${typeof v}), want ${formatValue(c.R)}`);
    }
    if (c.Refs) expect(refs.toStrings()).toEqual([...c.Refs].sort());
  });
});

describe("compile errors", () => {
  test.each(COMPILE_ERRORS)("%s", (text, message) => {
    let err: unknown;
    try {
      checkExpression(text, finder);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExpressionError);
    expect((err as ExpressionError).message).toBe(message);
    expect((err as ExpressionError).expression).toBe(text);
  });
});
