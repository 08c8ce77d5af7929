import {
  bagFromJSON,
  BagJsonError,
  createFinder,
  Duration,
  IpAddress,
  ManifestError,
  STANDARD_MANIFESTS,
  StringMap,
  Timestamp,
  ValueType,
} from "../../../src/mixer/attribute/index.js";
import { compileExpression } from "../../../src/mixer/expr/index.js";

const finder = createFinder(STANDARD_MANIFESTS);

describe("standard manifests", () => {
  test.each([
    ["request.headers", ValueType.STRING_MAP],
    ["response.duration", ValueType.DURATION],
    ["source.ip", ValueType.IP_ADDRESS],
    ["context.reporter.kind", ValueType.STRING],
    ["span.depth", ValueType.INT64],
    ["span.error", ValueType.BOOL],
    ["span.start_time", ValueType.TIMESTAMP],
    ["source.serviceAccount", ValueType.STRING],
  ])("%s is %s", (name, t) => {
    expect(finder.getAttribute(name)?.valueType).toBe(t);
  });

  test("Istio-shaped expressions type-check", () => {
    expect(compileExpression('context.protocol == "http" && response.code >= 500', finder).type).toBe(ValueType.BOOL);
    expect(compileExpression('request.headers["user-agent"] | "unknown"', finder).type).toBe(ValueType.STRING);
    expect(() => compileExpression("request.pathx", finder)).toThrow("unknown attribute request.pathx");
  });
});

describe("createFinder", () => {
  test("duplicate with a different type is an error naming both manifests", () => {
    expect(() =>
      createFinder([
        { name: "m1", attributes: { "a.b": { valueType: ValueType.STRING } } },
        { name: "m2", attributes: { "a.b": { valueType: ValueType.INT64 } } },
      ]),
    ).toThrow("attribute 'a.b' declared as STRING in manifest 'm1' and as INT64 in manifest 'm2'");
  });

  test("same type twice is fine", () => {
    const f = createFinder([
      { name: "m1", attributes: { x: { valueType: ValueType.BOOL } } },
      { name: "m2", attributes: { x: { valueType: ValueType.BOOL } } },
    ]);
    expect(f.attributes().map((a) => a.name)).toEqual(["x"]);
  });

  test.each(["a-b", "a..b", "1a", ""])("invalid name %p rejected", (name) => {
    expect(() => createFinder([{ name: "m", attributes: { [name]: { valueType: ValueType.STRING } } }])).toThrow(ManifestError);
  });
});

describe("bagFromJSON", () => {
  test("converts by manifest type", () => {
    const bag = bagFromJSON(
      {
        "request.size": 10,
        "response.code": "200",
        "response.duration": "1.5s",
        "request.time": "2015-01-02T15:04:35Z",
        "source.ip": "10.0.0.1",
        "request.headers": { a: "b" },
        "connection.mtls": true,
        "span.name": "f",
      },
      finder,
    );
    expect(bag.get("request.size")).toBe(10n);
    expect(bag.get("response.code")).toBe(200n);
    expect((bag.get("response.duration") as Duration).nanos).toBe(1_500_000_000n);
    expect(bag.get("request.time")).toBeInstanceOf(Timestamp);
    expect(bag.get("source.ip")).toBeInstanceOf(IpAddress);
    expect((bag.get("request.headers") as StringMap).get("a")).toBe("b");
    expect(bag.get("connection.mtls")).toBe(true);
  });

  test.each([
    [{ "request.size": 1.5 }, "in.json: attribute 'request.size' (INT64): expected an integer, got 1.5"],
    [{ "request.size": "x" }, "in.json: attribute 'request.size' (INT64): expected an integer, got \"x\""],
    [{ "response.duration": 5 }, "in.json: attribute 'response.duration' (DURATION): expected a duration like '1.5s' or '250ms', got 5"],
    [{ "request.time": "yesterday" }, "in.json: attribute 'request.time' (TIMESTAMP): expected an RFC 3339 timestamp like '2006-01-02T15:04:05Z', got \"yesterday\""],
    [{ "source.ip": "1.2.3" }, "in.json: attribute 'source.ip' (IP_ADDRESS): expected an IPv4 or IPv6 address, got \"1.2.3\""],
    [{ "request.headers": { a: 1 } }, "in.json: attribute 'request.headers' (STRING_MAP): expected an object of string values, got an object"],
    [{ "connection.mtls": "yes" }, "in.json: attribute 'connection.mtls' (BOOL): expected true or false, got \"yes\""],
    [{ nope: 1 }, "in.json: unknown attribute 'nope'"],
    [[1], "in.json: attributes must be a JSON object, got an array"],
    [{ "request.size": "99999999999999999999" }, "in.json: attribute 'request.size' (INT64): expected an integer, got \"99999999999999999999\""],
  ])("rejects %j", (obj, message) => {
    let err: unknown;
    try {
      bagFromJSON(obj, finder, "in.json");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BagJsonError);
    expect((err as Error).message).toBe(message);
  });
});
