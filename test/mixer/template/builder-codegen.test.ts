import { createBag, createFinder, STANDARD_MANIFESTS, Duration, StringMap, type Bag, type Value } from "../../../src/mixer/attribute/index";
import { compileExpression, type CompiledExpression } from "../../../src/mixer/expr/index";
import { generateBuilder, type BuilderField, type BuilderMap } from "../../../src/mixer/template/builder-codegen";
import { compileInstance, makeGenericBuilder, InstanceBuildError } from "../../../src/mixer/template/instance-builder";
import { METRIC, TRACESPAN } from "../../../src/mixer/template/index";

const finder = createFinder(STANDARD_MANIFESTS);
const fail = (fqn: string) => (label: string, e: unknown): never => {
  throw new InstanceBuildError(`evaluation failed at [${fqn}]'${label}': '${(e as Error).message}'`);
};
const field = (name: string, text: string | undefined, zero?: Value): BuilderField => ({
  name,
  label: name,
  expr: text === undefined ? undefined : compileExpression(text, finder),
  zero,
});

/** Both builders over the same fields, to compare outputs and errors. */
function both(fqn: string, scalars: BuilderField[], maps: BuilderMap[]) {
  return { gen: generateBuilder(fqn, scalars, maps, fail(fqn))!, generic: makeGenericBuilder(fqn, scalars, maps) };
}

const bag = createBag({
  "span.name": "svc.f",
  "span.error": true,
  "span.duration": Duration.fromMillis(2),
  "span.attributes": new StringMap({ k: "v" }),
});

describe("generated instance builder", () => {
  it("should build the same object, with the same key order, as the generic builder", () => {
    const scalars = [field("value", "span.duration"), field("monitoredResourceType", undefined, ""), field("other", undefined, undefined)];
    const maps: BuilderMap[] = [
      { name: "dimensions", entries: [field("fn", "span.name"), field("error", "span.error"), field("module", 'destination.service.name | "unknown"'), field("attr", 'span.attributes["k"]')] },
      { name: "empty", entries: [] },
    ];
    const { gen, generic } = both("m.instance.ns", scalars, maps);
    const a = gen(bag);
    expect(a).toStrictEqual(generic(bag));
    expect(Object.keys(a)).toEqual(["name", "value", "monitoredResourceType", "other", "dimensions", "empty"]);
    expect(Object.keys(a.dimensions as object)).toEqual(["fn", "error", "module", "attr"]);
    expect(a).toEqual({ name: "m.instance.ns", value: Duration.fromMillis(2), monitoredResourceType: "", other: undefined, dimensions: { fn: "svc.f", error: true, module: "unknown", attr: "v" }, empty: {} });
    expect(a.empty).not.toBe(gen(bag).empty); // a fresh map object per instance
  });

  it("should keep awkward keys as own properties and never run them as code", () => {
    const keys = ["__proto__", "constructor", "0", "a\"b", "line\nbreak", "x'}); throw 1; //", "sep\u2028arator"];
    const fqn = "odd\n*/ \u2028throw 1; name.instance.ns";
    const { gen, generic } = both(fqn, [], [{ name: "dimensions", entries: keys.map((k) => field(k, "span.name")) }]);
    const a = gen(bag);
    const dims = a.dimensions as Record<string, unknown>;
    expect(a.name).toBe(fqn);
    expect(Object.getPrototypeOf(dims)).toBe(Object.prototype);
    for (const k of keys) expect(Object.getOwnPropertyDescriptor(dims, k)?.value).toBe("svc.f");
    expect(a).toStrictEqual(generic(bag));
  });

  it("should evaluate in the same order and stop at the same failing field, with the same error", () => {
    const calls: string[] = [];
    const spy = (name: string, v: Value | Error): BuilderField => {
      const expr = {
        text: name,
        type: 1,
        attributes: [],
        evaluate: () => {
          calls.push(name);
          if (v instanceof Error) throw v;
          return v;
        },
      } as unknown as CompiledExpression;
      return { name, label: `dimensions[${name}]`, expr, zero: undefined };
    };
    const scalars = [spy("value", 1)];
    const maps = [{ name: "dimensions", entries: [spy("a", "x"), spy("b", new Error("lookup failed: 'b'")), spy("c", "never")] }];
    const { gen, generic } = both("m.instance.ns", scalars, maps);
    const message = "evaluation failed at [m.instance.ns]'dimensions[b]': 'lookup failed: 'b''";
    expect(() => gen(createBag({}))).toThrow(new InstanceBuildError(message));
    const viaGenerated = calls.splice(0);
    expect(() => generic(createBag({}))).toThrow(new InstanceBuildError(message));
    expect(viaGenerated).toEqual(["value", "a", "b"]);
    expect(calls).toEqual(viaGenerated);
  });

  it("should fall back to the generic builder when code generation is disallowed", () => {
    const original = globalThis.Function;
    (globalThis as { Function: unknown }).Function = function () {
      throw new EvalError("Code generation from strings disallowed for this context");
    };
    try {
      expect(generateBuilder("m", [], [], fail("m"))).toBeUndefined();
      const inst = compileInstance("m.instance.ns", METRIC, { value: "1", dimensions: { fn: "span.name" } }, finder, [])!;
      expect(inst.build(bag)).toEqual({ name: "m.instance.ns", value: 1n, dimensions: { fn: "svc.f" }, monitoredResourceType: "", monitoredResourceDimensions: {} });
      expect(() => inst.build(createBag({}))).toThrow("evaluation failed at [m.instance.ns]'dimensions[fn]': 'lookup failed: 'span.name''");
    } finally {
      (globalThis as { Function: unknown }).Function = original;
    }
  });

  it("should give every template field of a compiled tracespan, zeros included", () => {
    const inst = compileInstance("t.instance.ns", TRACESPAN, { span_name: "span.name", span_tags: { fn: "span.name", missing: 'span.error_message | ""' } }, finder, [])!;
    const out = inst.build(bag as Bag);
    expect(Object.keys(out)).toEqual(["name", ...TRACESPAN.fields.filter((f) => !f.map).map((f) => f.name), ...TRACESPAN.fields.filter((f) => f.map).map((f) => f.name)]);
    expect(out.spanName).toBe("svc.f");
    expect(out.spanTags).toEqual({ fn: "svc.f", missing: "" });
  });
});
