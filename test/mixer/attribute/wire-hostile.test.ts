import fc from "fast-check";
import {
  createBag,
  decodeAttributes,
  decodeReport,
  encodeReport,
  MAX_WIRE_ELEMENTS,
  RepeatedAttributesSemantics,
  WireFormatError,
  WireLimitError,
  type CompressedAttributes,
  type ReportRequest,
} from "../../../src/mixer/attribute/index.js";

/** K delta sets, set i adding attribute `wi` with value `wi` (the dictionary grows with K). */
function growing(k: number): ReportRequest {
  return {
    defaultWords: Array.from({ length: k }, (_, i) => `w${i}`),
    attributes: Array.from({ length: k }, (_, i) => ({ strings: { [-(i + 1)]: -(i + 1) } })),
  };
}

const heapAfter = (f: () => unknown): [unknown, number] => {
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const r = f();
  return [r, process.memoryUsage().heapUsed - before];
};

describe("decodeReport: linear in the request", () => {
  test("8,000 delta sets of a growing dictionary: fast and small (was 5 s and 1.3 GB)", () => {
    const t = performance.now();
    const [out, heap] = heapAfter(() => decodeReport(growing(8000)));
    expect(performance.now() - t).toBeLessThan(2000);
    // 32 million values if every state were a copy; linear: a few MB.
    expect(heap).toBeLessThan(200 * 2 ** 20);
    const r = out as ReturnType<typeof decodeReport>;
    expect(r.bags).toHaveLength(8000);
    expect(r.bags[0]!.names()).toEqual(["w0"]);
    expect(r.bags[7999]!.names()).toHaveLength(8000);
    expect(r.bags[4000]!.get("w4000")).toBe("w4000");
    expect(r.bags[4000]!.get("w4001")).toBeUndefined();
    expect(r.bags[4000]!.has("w0")).toBe(true);
  });

  test("later sets overwrite, earlier states keep their values", () => {
    const req = encodeReport([createBag({ "my.a": "x", "my.b": 1n }), createBag({ "my.a": "y", "my.b": 1n }), createBag({ "my.a": "y", "my.b": 2n })]);
    const out = decodeReport(req);
    expect(out.bags.map((b) => [b.get("my.a"), b.get("my.b")])).toEqual([["x", 1n], ["y", 1n], ["y", 2n]]);
    // The bags are mutable (preprocess writes into them) without touching the other states.
    out.bags[0]!.set("my.a", "z");
    expect(out.bags[1]!.get("my.a")).toBe("y");
  });

  test("a request over the size limit is refused with a typed error", () => {
    expect(() => decodeReport(growing(600), { maxElements: 1000 })).toThrow(WireLimitError);
    expect(() => decodeReport(growing(600), { maxElements: 1000 })).toThrow(
      "report request too large: more than 1000 words and map entries (limit maxElements = 1000)",
    );
    expect(() => decodeAttributes({ words: new Array(MAX_WIRE_ELEMENTS + 1).fill("w") })).toThrow(WireLimitError);
  });
});

describe("hostile objects are WireFormatErrors, never TypeErrors", () => {
  const nullProto = (o: Record<string, unknown>): Record<string, unknown> => Object.assign(Object.create(null) as object, o);

  test.each<[string, () => unknown, string]>([
    ["null-prototype global word count", () => decodeAttributes({}, { globalWordCount: Object.create(null) as number }), "invalid global_word_count object without prototype"],
    ["null-prototype semantics", () => decodeReport({ attributes: [], repeatedAttributesSemantics: Object.create(null) as never }), "unknown repeated_attributes_semantics object without prototype"],
    ["bytes faking Uint8Array.prototype", () => decodeAttributes({ bytes: { 0: Object.setPrototypeOf({}, Uint8Array.prototype) as Uint8Array } }), "field 'bytes': attribute 'source.ip' has a value of the wrong type (object)"],
    ["a Map for a field", () => decodeAttributes({ strings: new Map([[0, 0]]) } as never), "field 'strings' must be a map (got Map)"],
    ["a Uint8Array message", () => decodeAttributes(new Uint8Array([10, 2]) as never), "attributes message must be an object (got Uint8Array (binary protobuf is not decoded; pass the object form))"],
    ["a Buffer message", () => decodeAttributes(Buffer.from("x") as never), "attributes message must be an object (got Buffer"],
    ["a throwing getter", () => decodeAttributes(Object.defineProperty({}, "strings", { enumerable: true, get: () => { throw new TypeError("boom"); } })), "malformed message: boom"],
    ["a revoked proxy", () => { const p = Proxy.revocable({}, {}); p.revoke(); return decodeAttributes(p.proxy); }, "malformed message"],
  ])("%s", (_n, f, message) => {
    expect(f).toThrow(WireFormatError);
    expect(f).toThrow(message);
  });

  test("objects without a prototype, and a __proto__ key, decode normally", () => {
    const msg = nullProto({ strings: nullProto({ 0: 1 }) });
    expect(decodeAttributes(msg as CompressedAttributes).get("source.ip")).toBe("source.port");
    const viaJson = JSON.parse('{"__proto__": {"strings": {"1": 1}}, "strings": {"0": 0}}') as CompressedAttributes;
    expect(decodeAttributes(viaJson).names()).toEqual(["source.ip"]);
  });

  test("a Uint8Array set inside a Report is that set's error, not an empty bag", () => {
    const out = decodeReport({ attributes: [new Uint8Array(3) as never, { strings: { 0: 0 } }] });
    expect(out.errors.map((e) => e.message)).toEqual([
      "attribute set 0: attributes message must be an object (got Uint8Array (binary protobuf is not decoded; pass the object form))",
    ]);
    expect(out.setIndexes).toEqual([1]);
  });

  test("decoder error wording follows Mixer's", () => {
    expect(() => decodeAttributes({ strings: { [-3]: 0 } })).toThrow("attribute index -3 is not defined in the available dictionaries");
    expect(() => decodeAttributes({ words: ["a"], strings: { [-1]: -9 } })).toThrow("string index -9 is not defined in the available dictionaries");
  });

  test("echoed keys and names are capped", () => {
    const long = "9".repeat(50_000);
    let msg = "";
    try {
      decodeAttributes({ strings: { [`x${long}`]: 0 } } as never);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg.length).toBeLessThan(400);
    expect(msg).toMatch(/^field 'strings': key 'x9{199}…\(\+49801 more characters\)' is not a sint32 index$/);
  });
});

describe("fuzz: every input ends in a result or a WireFormatError, in bounded time", () => {
  const anything = fc.anything({
    withNullPrototype: true,
    withTypedArray: true,
    withMap: true,
    withSet: true,
    withBigInt: true,
    withDate: true,
    withBoxedValues: true,
    withObjectString: true,
    withSparseArray: true,
    maxDepth: 4,
  });
  const field = fc.constantFrom("words", "strings", "int64s", "doubles", "bools", "timestamps", "durations", "bytes", "stringMaps");
  const index = fc.oneof(fc.integer({ min: -5, max: 230 }), fc.constantFrom(-(2 ** 31), 2 ** 31, 1.5, NaN));
  const shaped = fc.dictionary(field, fc.oneof(anything, fc.dictionary(index.map(String), anything, { maxKeys: 5 }), fc.array(fc.string(), { maxLength: 4 })), { maxKeys: 5 });

  const bounded = (f: () => unknown): boolean => {
    const t = performance.now();
    try {
      f();
    } catch (e) {
      if (!(e instanceof WireFormatError)) throw e;
    }
    return performance.now() - t < 500;
  };

  test("decodeAttributes", () => {
    fc.assert(fc.property(fc.oneof(anything, shaped), (m) => bounded(() => decodeAttributes(m as CompressedAttributes))), { numRuns: 1500, seed: 10 });
  });

  test("decodeReport", () => {
    const req = fc.record(
      {
        attributes: fc.oneof(fc.array(fc.oneof(shaped, anything), { maxLength: 6 }), anything),
        defaultWords: fc.oneof(fc.array(fc.string(), { maxLength: 5 }), anything),
        globalWordCount: fc.oneof(fc.integer({ min: -1, max: 300 }), anything),
        repeatedAttributesSemantics: fc.oneof(fc.constantFrom(RepeatedAttributesSemantics.DELTA_ENCODING, RepeatedAttributesSemantics.INDEPENDENT_ENCODING), anything),
      },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(fc.oneof(req, anything), (r) => bounded(() => decodeReport(r as ReportRequest))), { numRuns: 1500, seed: 11 });
  });
});
