import {
  Duration,
  formatGoDuration,
  formatGoFloat,
  formatIp,
  formatValue,
  parseGoDuration,
  parseIp,
  parseRfc3339,
  StringMap,
  Timestamp,
  toJSONValue,
  formatRfc3339,
  parseValueType,
  ValueType,
  valueTypeName,
} from "../../../src/mixer/attribute/index.js";

const s = (n: number) => BigInt(Math.round(n * 1e9));

test.each([
  [0n, "0s"],
  [s(1.5), "1.5s"],
  [s(90), "1m30s"],
  [s(3600), "1h0m0s"],
  [1500n, "1.5µs"],
  [999n, "999ns"],
  [1_000_000n, "1ms"],
  [2_500_000n, "2.5ms"],
  [-s(1.5), "-1.5s"],
  [s(5400), "1h30m0s"],
  [s(0.000001), "1µs"],
])("formatGoDuration(%p) = %s", (ns, text) => {
  expect(formatGoDuration(ns)).toBe(text);
  expect(parseGoDuration(text)!.nanos).toBe(ns);
});

test.each(["", "1", "1x", ".s", "1.5", "h", "--1s", "9999999999h"])("parseGoDuration rejects %p", (t) => {
  expect(parseGoDuration(t)).toBeUndefined();
});

test.each(["0", "+0", "-0", "1h30m", "10ms", "1.5h", "5us", "5µs", "5μs"])("parseGoDuration accepts %p", (t) => {
  expect(parseGoDuration(t)).toBeInstanceOf(Duration);
});

test.each([
  [1e21, "1000000000000000000000"],
  [1.5, "1.5"],
  [0.000001, "0.000001"],
  [1e-7, "0.0000001"],
  [123456789.125, "123456789.125"],
  [-0, "-0"],
  [Infinity, "+Inf"],
  [NaN, "NaN"],
  [2, "2"],
])("formatGoFloat(%p) = %s", (x, text) => {
  expect(formatGoFloat(x)).toBe(text);
});

test.each([
  ["10.1.12.3", "10.1.12.3"],
  ["::1", "::1"],
  ["2001:db8::68", "2001:db8::68"],
  ["2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1"],
  ["::ffff:1.2.3.4", "1.2.3.4"],
  ["::", "::"],
])("IP %s round trip", (text, out) => {
  expect(formatIp(parseIp(text)!)).toBe(out);
  expect(formatIp(parseIp(text, true)!)).toBe(out);
});

test.each(["10.1.12", "256.1.1.1", "01.1.1.1", "1::2::3", "x", "1:2:3:4:5:6:7:8:9", ""])("parseIp rejects %p", (t) => {
  expect(parseIp(t)).toBeUndefined();
});

test("IPv4 equals its IPv4-mapped form", () => {
  expect(parseIp("1.2.3.4")!.equals(parseIp("1.2.3.4", true)!)).toBe(true);
});

test.each([
  ["2015-01-02T15:04:35Z", "2015-01-02T15:04:35Z"],
  ["2015-01-02T17:04:35+02:00", "2015-01-02T15:04:35Z"],
  ["1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.5Z"],
  ["2000-02-29T00:00:00.000000001Z", "2000-02-29T00:00:00.000000001Z"],
])("RFC 3339 %s", (text, out) => {
  expect(formatRfc3339(parseRfc3339(text)!)).toBe(out);
});

test.each(["2015-01-02", "2015-02-30T00:00:00Z", "2015-01-02T25:00:00Z", "242233", "2015-01-02 15:04:35Z"])("RFC 3339 rejects %p", (t) => {
  expect(parseRfc3339(t)).toBeUndefined();
});

test("formatValue (Mixer Stringify)", () => {
  expect(formatValue(undefined)).toBe("");
  expect(formatValue("s")).toBe("s");
  expect(formatValue(42n)).toBe("42");
  expect(formatValue(false)).toBe("false");
  expect(formatValue(parseRfc3339("2015-01-02T15:04:35.123456789Z")!)).toBe("2015-01-02T15:04:35.123456Z");
  expect(formatValue(new Duration(90_000_000_000n))).toBe("1m30s");
  expect(formatValue(new StringMap({ b: "2", a: "1" }))).toBe("a=1&b=2");
  expect(formatValue(parseIp("1.2.3.4", true)!)).toBe("1.2.3.4");
});

test("toJSONValue", () => {
  expect(toJSONValue(5n)).toBe(5);
  expect(toJSONValue(2n ** 60n)).toBe("1152921504606846976");
  expect(toJSONValue(new Timestamp(0n, 0))).toBe("1970-01-01T00:00:00Z");
  expect(toJSONValue(new StringMap({ b: "2", a: "1" }))).toEqual({ a: "1", b: "2" });
  expect(toJSONValue(new Duration(1500n))).toBe("1.5µs");
});

test("value type names", () => {
  expect(valueTypeName(ValueType.STRING_MAP)).toBe("STRING_MAP");
  expect(parseValueType("INT64")).toBe(ValueType.INT64);
  expect(parseValueType("int64")).toBeUndefined();
});
