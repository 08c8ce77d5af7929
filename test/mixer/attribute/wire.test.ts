import fc from "fast-check";
import {
  createBag,
  decodeAttributes,
  decodeReport,
  Duration,
  encodeAttributes,
  encodeReport,
  GLOBAL_DICTIONARY,
  IpAddress,
  MutableBag,
  RepeatedAttributesSemantics,
  StringMap,
  Timestamp,
  valuesEqual,
  WireFormatError,
  type Bag,
  type CompressedAttributes,
  type Value,
} from "../../../src/mixer/attribute/index.js";

const sameBag = (a: Bag, b: Bag): boolean =>
  a.names().length === b.names().length && a.names().every((n) => valuesEqual(a.get(n), b.get(n)));

const nameArb = fc.oneof(
  fc.constantFrom(...GLOBAL_DICTIONARY.slice(0, 40)),
  fc.stringMatching(/^[a-z][a-z0-9_]{0,6}(\.[a-z][a-z0-9_]{0,6}){0,2}$/),
);
const valueArb: fc.Arbitrary<Value> = fc.oneof(
  fc.string(),
  fc.constantFrom(...GLOBAL_DICTIONARY),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.record({ s: fc.bigInt({ min: -(10n ** 11n), max: 10n ** 11n }), n: fc.integer({ min: 0, max: 999_999_999 }) }).map((r) => new Timestamp(r.s, r.n)),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => new Duration(n)),
  fc.oneof(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 16, maxLength: 16 })).map((b) => new IpAddress(b)),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 4 }).map((d) => new StringMap(d)),
);
const bagArb = fc.dictionary(nameArb, valueArb, { maxKeys: 8 }).map((o) => createBag(o));

describe("CompressedAttributes", () => {
  test("round trip of random bags", () => {
    fc.assert(
      fc.property(bagArb, fc.integer({ min: 0, max: GLOBAL_DICTIONARY.length }), (bag, gwc) => {
        const msg = encodeAttributes(bag, { globalWordCount: gwc });
        return sameBag(decodeAttributes(msg), bag);
      }),
      { numRuns: 300 },
    );
  });

  test("global words below the agreed count use their index, others message words", () => {
    const msg = encodeAttributes(createBag({ "source.ip": "x", "my.attr": "source.ip" }), { globalWordCount: 10 });
    expect(msg.words).toEqual(["my.attr", "x"]);
    expect(msg.strings).toEqual({ [-1]: 0, 0: -2 });
    // proto3 default 0 means "not set": all our global words are usable.
    const unset = encodeAttributes(createBag({ "source.ip": "y" }), { globalWordCount: 0 });
    expect(unset.strings).toEqual({ 0: -1 });
  });

  test.each<[string, CompressedAttributes, string]>([
    ["name index out of range", { strings: { 9999: 0 } }, "attribute index 9999 is not defined in the available dictionaries"],
    ["negative index out of range", { words: ["a"], strings: { [-2]: 0 } }, "attribute index -2 is not defined in the available dictionaries"],
    ["value index out of range", { strings: { 0: -5 } }, "string index -5 is not defined in the available dictionaries"],
    ["wrong value type", { int64s: { 0: "abc" } } as never, "field 'int64s': attribute 'source.ip' has a value of the wrong type (string)"],
    ["int64 out of range", { int64s: { 0: 2n ** 64n } }, "field 'int64s': attribute 'source.ip' has a value of the wrong type (bigint)"],
    ["bool wrong type", { bools: { 0: 1 } } as never, "field 'bools': attribute 'source.ip' has a value of the wrong type (number)"],
    ["bytes wrong type", { bytes: { 0: [1, 2] } } as never, "field 'bytes': attribute 'source.ip' has a value of the wrong type (array)"],
    ["bad timestamp", { timestamps: { 0: { seconds: 1, nanos: 2e9 } } }, "field 'timestamps': attribute 'source.ip' has a value of the wrong type (object)"],
    ["duplicate across maps", { strings: { 0: 1 }, int64s: { 0: 1 } }, "duplicate attribute source.ip (type strings and int64s)"],
    ["non-integer key", { strings: { "1.5": 0 } } as never, "field 'strings': key '1.5' is not a sint32 index"],
    ["map field not a map", { strings: [1] } as never, "field 'strings' must be a map"],
    ["words not strings", { words: [1] } as never, "field 'words' must be a list of strings"],
    ["string map bad key", { stringMaps: { 15: { entries: { 7777: 0 } } } }, "string index 7777 is not defined in the available dictionaries"],
  ])("malformed: %s", (_n, msg, message) => {
    expect(() => decodeAttributes(msg)).toThrow(WireFormatError);
    expect(() => decodeAttributes(msg)).toThrow(message);
  });

  test("random garbage never crashes: it decodes or throws WireFormatError", () => {
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        try {
          decodeAttributes(junk as CompressedAttributes);
        } catch (e) {
          return e instanceof WireFormatError;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  test("caller knowing more global words than us is rejected", () => {
    expect(() => decodeAttributes({}, { globalWordCount: GLOBAL_DICTIONARY.length + 1 })).toThrow(
      `inconsistent global dictionary versions used: mixer knows ${GLOBAL_DICTIONARY.length} words, caller knows ${GLOBAL_DICTIONARY.length + 1}`,
    );
  });
});

describe("Report encoding", () => {
  const growing = fc.array(fc.dictionary(nameArb, valueArb, { maxKeys: 4 }), { minLength: 1, maxLength: 5 }).map((steps) => {
    // Each set builds on the previous one (delta encoding cannot delete).
    const bags: MutableBag[] = [];
    let acc: Record<string, Value> = {};
    for (const s of steps) {
      acc = { ...acc, ...s };
      bags.push(createBag(acc));
    }
    return bags;
  });

  test.each([RepeatedAttributesSemantics.DELTA_ENCODING, RepeatedAttributesSemantics.INDEPENDENT_ENCODING])(
    "round trip (semantics %s)",
    (semantics) => {
      fc.assert(
        fc.property(growing, (bags) => {
          const out = decodeReport(encodeReport(bags, { semantics }));
          return out.errors.length === 0 && out.bags.length === bags.length && bags.every((b, i) => sameBag(out.bags[i]!, b));
        }),
        { numRuns: 150 },
      );
    },
  );

  test("delta sets carry only changes and share default words", () => {
    const req = encodeReport([createBag({ "my.a": "x", "my.b": 1n }), createBag({ "my.a": "x", "my.b": 2n })]);
    expect(req.attributes[1]).toEqual({ int64s: { [req.attributes[0]!.int64s ? Number(Object.keys(req.attributes[0]!.int64s)[0]) : 0]: 2n } });
    expect(req.attributes.every((a) => a.words === undefined)).toBe(true);
    expect(req.defaultWords).toContain("my.a");
  });

  test("deleting under delta encoding is refused", () => {
    expect(() => encodeReport([createBag({ a: "x" }), createBag({})])).toThrow(
      "cannot delta-encode attribute set 1: attribute 'a' was removed (use INDEPENDENT_ENCODING)",
    );
  });

  test("a bad set is rejected whole, the others are kept", () => {
    const req = encodeReport([createBag({ "my.a": "x" }), createBag({ "my.a": "y" }), createBag({ "my.a": "z" })]);
    req.attributes[1] = { strings: { 9999: 0 } };
    const out = decodeReport(req);
    expect(out.errors.map((e) => e.message)).toEqual(["attribute set 1: attribute index 9999 is not defined in the available dictionaries"]);
    expect(out.setIndexes).toEqual([0, 2]);
    expect(out.bags.map((b) => b.get("my.a"))).toEqual(["x", "z"]);
  });

  test("request-level problems throw", () => {
    expect(() => decodeReport({} as never)).toThrow("report request must have an 'attributes' list");
    expect(() => decodeReport({ attributes: [], repeatedAttributesSemantics: 7 as never })).toThrow("unknown repeated_attributes_semantics 7");
  });
});
