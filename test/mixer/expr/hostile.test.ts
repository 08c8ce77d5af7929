import { createBag, createFinder, STANDARD_MANIFESTS } from "../../../src/mixer/attribute/index.js";
import { compileExpression, EvaluationError, ExpressionError } from "../../../src/mixer/expr/index.js";
import { MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH } from "../../../src/mixer/expr/parser.js";

const finder = createFinder(STANDARD_MANIFESTS);
const chain = (n: number, term = "request.path", op = " + "): string => Array.from({ length: n }, () => term).join(op);
const ms = (f: () => unknown): number => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

function compileError(text: string): ExpressionError {
  try {
    compileExpression(text, finder);
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw e;
  }
  throw new Error("compiled");
}

describe("expression size: time linear, limits located", () => {
  test("a + chain compiles in time linear in its length (was doubling per term)", () => {
    // Before: 20 terms 61 ms, 26 terms 3.5 s. Now every node is type-checked once.
    expect(ms(() => compileExpression(chain(26), finder))).toBeLessThan(200);
    const e = compileExpression(chain(400), finder);
    expect(e.evaluate(createBag({ "request.path": "ab" }))).toBe("ab".repeat(400));
    const small = Math.max(ms(() => compileExpression(chain(100), finder)), 0.5);
    const big = ms(() => compileExpression(chain(400), finder));
    expect(big).toBeLessThan(small * 40 + 50);
  });

  test("chains, parentheses and calls up to the depth limit compile and evaluate", () => {
    const bag = createBag({ "request.path": "A" });
    const n = MAX_EXPRESSION_DEPTH - 1;
    expect(compileExpression(chain(n, 'request.path == "x"', " || "), finder).evaluate(bag)).toBe(false);
    expect(compileExpression("(".repeat(n) + "request.path" + ")".repeat(n), finder).evaluate(bag)).toBe("A");
    expect(compileExpression("toLower(".repeat(n - 1) + "request.path" + ")".repeat(n - 1), finder).evaluate(bag)).toBe("a");
    expect(compileExpression(chain(n, "request.path", " | "), finder).evaluate(bag)).toBe("A");
  });

  test.each([
    ["10,000 nested parentheses", "(".repeat(10_000) + "request.path" + ")".repeat(10_000), MAX_EXPRESSION_DEPTH],
    ["5,000 nested calls", "toLower(".repeat(5_000) + "request.path" + ")".repeat(5_000), undefined],
    ["a chain past the depth limit", chain(MAX_EXPRESSION_DEPTH + 2), undefined],
  ])("%s: ExpressionError with a position, not RangeError", (_n, text, pos) => {
    const e = compileError(text);
    expect(e.message).toMatch(/expression nested too deeply \(more than 500 levels/);
    expect(typeof e.position).toBe("number");
    if (pos !== undefined) expect(e.position).toBe(pos);
    expect(e.message).toContain(`1:${e.position! + 1}:`);
    expect(e.message.length).toBeLessThan(500);
  });

  test("a 100k-character expression is refused at the length limit, with a short message", () => {
    const text = chain(7_700, "request.path", "+");
    expect(text.length).toBeGreaterThan(100_000);
    const e = compileError(text);
    expect(e.position).toBe(MAX_EXPRESSION_LENGTH);
    expect(e.message).toContain(`expression too long (${text.length} characters; at most ${MAX_EXPRESSION_LENGTH})`);
    expect(e.message.length).toBeLessThan(500);
    expect(e.expression).toBe(text);
  });

  test("a long unknown identifier is echoed capped", () => {
    const e = compileError("x".repeat(60_000));
    expect(e.message).toMatch(/^unknown attribute x{200}…\(\+59800 more characters\)$/);
  });

  test("many numbers lex in linear time", () => {
    expect(ms(() => compileError(chain(20_000, "1", "+")))).toBeLessThan(1000);
  });
});

describe("matches(): RE2 syntax, linear time", () => {
  const ev = (text: string, vals: Record<string, string>): unknown => compileExpression(text, finder).evaluate(createBag(vals));

  test('"(a+)+$" against 28+ a\'s and "!" is fast (was 17 s, blocking the event loop)', () => {
    for (const n of [28, 40, 100_000]) {
      const t = ms(() => expect(ev('"(a+)+$".matches(request.path)', { "request.path": "a".repeat(n) + "!" })).toBe(false));
      expect(t).toBeLessThan(1000);
    }
    expect(ev('"(a+)+$".matches(request.path)', { "request.path": "xaaa" })).toBe(true);
  });

  test("unanchored search and RE2 syntax (flags, named groups, classes, \\Q…\\E, \\pL)", () => {
    expect(ev('"b".matches(request.path)', { "request.path": "abc" })).toBe(true);
    expect(ev('"(?i)ABC".matches(request.path)', { "request.path": "xabcx" })).toBe(true);
    expect(ev('"^(?P<x>[[:alpha:]]+)$".matches(request.path)', { "request.path": "abc" })).toBe(true);
    expect(ev('"\\\\Q.*\\\\E".matches(request.path)', { "request.path": "a.*b" })).toBe(true);
    expect(ev('"^\\\\pL+$".matches(request.path)', { "request.path": "héllo" })).toBe(true);
  });

  test.each([
    ['"a(b)\\\\1".matches(request.path)', "error parsing regexp: invalid escape sequence: `\\1` (in the pattern at 1:1)"],
    ['"(?=x)".matches(request.path)', "error parsing regexp: invalid or unsupported Perl syntax: `(?=` (in the pattern at 1:1)"],
    ['"(?<n>x)".matches(request.path)', "error parsing regexp: invalid or unsupported Perl syntax: `(?<` (in the pattern at 1:1)"],
    ['"a{1001}".matches(request.path)', "error parsing regexp: invalid repeat count: `{1001}` (in the pattern at 1:1)"],
    ['request.path == "" || "x**".matches(request.path)', "error parsing regexp: invalid nested repetition operator: `**` (in the pattern at 1:23)"],
  ])("constant pattern %s is a located ExpressionError", (text, message) => {
    const e = compileError(text);
    expect(e.message).toBe(message);
    expect(e.position).toBe(text.indexOf('"x**"') >= 0 ? text.indexOf('"x**"') : 0);
  });

  test("a pattern that is only known at run time fails evaluation with Go's text", () => {
    const e = compileExpression("request.path.matches(request.host)", finder);
    expect(() => e.evaluate(createBag({ "request.path": "a\\1", "request.host": "a" }))).toThrow(EvaluationError);
    expect(() => e.evaluate(createBag({ "request.path": "a\\1", "request.host": "a" }))).toThrow("error parsing regexp: invalid escape sequence: `\\1`");
  });
});
