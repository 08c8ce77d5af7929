import { ValueType, createBag, createFinder, STANDARD_MANIFESTS, Timestamp } from "../../../src/mixer/attribute/index";
import { compileInstance, InstanceBuildError, LOGENTRY, METRIC, TRACESPAN, type FieldProblem } from "../../../src/mixer/template/index";

const finder = createFinder(STANDARD_MANIFESTS);

describe("compileInstance", () => {
  it("should build fields, record inferred types and zero unset typed scalars", () => {
    const problems: FieldProblem[] = [];
    const inst = compileInstance("m.instance.ns", METRIC, { value: 1, dimensions: { fn: "span.name", err: "span.error | false" } }, finder, problems)!;
    expect(problems).toEqual([]);
    expect(inst.types).toEqual({ value: ValueType.INT64, dimensions: { fn: ValueType.STRING, err: ValueType.BOOL }, monitoredResourceType: ValueType.STRING, monitoredResourceDimensions: {} });
    expect(inst.build(createBag({ "span.name": "f" }))).toEqual({ name: "m.instance.ns", value: 1n, dimensions: { fn: "f", err: false }, monitoredResourceType: "", monitoredResourceDimensions: {} });
  });

  it("should fail the whole instance on the first failing field", () => {
    const inst = compileInstance("l.instance.ns", LOGENTRY, { severity: '"info"', timestamp: "span.end_time" }, finder, [])!;
    expect(() => inst.build(createBag({}))).toThrow(new InstanceBuildError("evaluation failed at [l.instance.ns]'timestamp': 'lookup failed: 'span.end_time''"));
    expect(inst.build(createBag({ "span.end_time": new Timestamp(1n) })).timestamp).toEqual(new Timestamp(1n));
  });

  it.each([
    [{ span_name: "span.depth" }, ["span_name"], "instance field type mismatch: expected='STRING', actual='INT64', expression='span.depth'"],
    [{ httpStatusCode: '"200"' }, ["httpStatusCode"], "instance field type mismatch: expected='INT64', actual='STRING', expression='\"200\"'"],
    [{ span_tags: ["a"] }, ["span_tags"], "expected a map of name to expression"],
    [{ bogus: "1" }, ["bogus"], "unknown field for template 'tracespan'"],
  ])("should report %j", (params, path, message) => {
    const problems: FieldProblem[] = [];
    expect(compileInstance("t.instance.ns", TRACESPAN, params, finder, problems)).toBeUndefined();
    expect(problems).toEqual([{ path, message: expect.stringContaining(message) }]);
  });
});
