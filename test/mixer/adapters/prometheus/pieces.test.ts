import { Duration, IpAddress, StringMap, Timestamp } from "../../../../src/mixer/attribute/index";
import { exportedName, labelNameProblem, metricNameProblem, safeName } from "../../../../src/mixer/adapters/prometheus/names";
import { DEFAULT_BUCKETS, exponentialBounds, linearBounds, parseBuckets } from "../../../../src/mixer/adapters/prometheus/buckets";
import { labelValue, parseGoFloat, promValue } from "../../../../src/mixer/adapters/prometheus/values";
import { SeriesExpiry, seriesKey } from "../../../../src/mixer/adapters/prometheus/expiry";
import type { FieldError } from "../../../../src/mixer/adapter/types";

describe("prometheus names", () => {
  it.each([
    ["/request.count", "request_count"],
    ["//a", "_a"],
    ["request count-total", "request_counttotal"],
    ["requestcount.instance.istio-system", "requestcount_instance_istiosystem"],
    ["a/b.c d-e", "a_b_c_de"],
    ["plain_name:x", "plain_name:x"],
  ])("should sanitise %j to %j like Mixer's safeName", (input, want) => {
    expect(safeName(input)).toBe(want);
  });

  it("should prefix the namespace, defaulting to istio, and fall back to the instance name", () => {
    expect(exportedName("", "requests_total", "x.instance.ns")).toBe("istio_requests_total");
    expect(exportedName("functrace", "calls", "x")).toBe("functrace_calls");
    expect(exportedName("my-app.v1", "", "calls.instance.istio-system")).toBe("myapp_v1_calls_instance_istiosystem");
  });

  it("should reject names Prometheus cannot take", () => {
    expect(metricNameProblem("istio_ok:1")).toBeUndefined();
    expect(metricNameProblem("istio_é")).toMatch(/not a valid Prometheus metric name/);
    expect(metricNameProblem("1abc")).toMatch(/not a valid/);
    expect(labelNameProblem("fn", true)).toBeUndefined();
    expect(labelNameProblem("le", true)).toMatch(/reserved for histogram/);
    expect(labelNameProblem("le", false)).toBeUndefined();
    expect(labelNameProblem("__x", false)).toMatch(/reserved by Prometheus/);
    expect(labelNameProblem("a:b", false)).toMatch(/not a valid Prometheus label name/);
  });
});

describe("prometheus buckets", () => {
  const parse = (raw: unknown): { bounds: readonly number[]; errors: string[] } => {
    const errors: FieldError[] = [];
    const bounds = parseBuckets(raw, "metrics[0].buckets", errors);
    return { bounds, errors: errors.map((e) => `${e.field}: ${e.message}`) };
  };

  it("should compute N+1 linear and exponential bounds as Mixer does", () => {
    expect(linearBounds(3, 0.5, 1)).toEqual([1, 1.5, 2, 2.5]);
    expect(exponentialBounds(3, 10, 0.001)).toEqual([0.001, 0.01, 0.1, 1].map((x, i) => (i === 0 ? x : expect.closeTo(x, 12))));
    expect(parse({ linearBuckets: { numFiniteBuckets: 2, width: 10, offset: 5 } })).toEqual({ bounds: [5, 15, 25], errors: [] });
    expect(parse({ exponential_buckets: { num_finite_buckets: 2, growth_factor: 2, scale: 1 } })).toEqual({ bounds: [1, 2, 4], errors: [] });
    expect(parse({ explicit_buckets: { bounds: [1, "2.5", 10] } })).toEqual({ bounds: [1, 2.5, 10], errors: [] });
    expect(parse(undefined).bounds).toBe(DEFAULT_BUCKETS);
  });

  it.each([
    [{}, "metrics[0].buckets: exactly one of linear_buckets, exponential_buckets, explicit_buckets must be set"],
    [{ linear_buckets: { num_finite_buckets: 1, width: 1 }, explicit_buckets: { bounds: [1] } }, "metrics[0].buckets: exactly one of linear_buckets, exponential_buckets, explicit_buckets must be set (got linear_buckets, explicit_buckets)"],
    [{ linear_buckets: { num_finite_buckets: 0, width: 1 } }, "metrics[0].buckets.linear_buckets.num_finite_buckets: must be > 0, got 0"],
    [{ linear_buckets: { num_finite_buckets: 2, width: -1 } }, "metrics[0].buckets.linear_buckets.width: must be > 0, got -1"],
    [{ linear_buckets: { num_finite_buckets: 1e9, width: 1 } }, "metrics[0].buckets.linear_buckets.num_finite_buckets: must be <= 10000, got 1000000000"],
    [{ exponential_buckets: { num_finite_buckets: 2, growth_factor: 1, scale: 1 } }, "metrics[0].buckets.exponential_buckets.growth_factor: must be > 1, got 1"],
    [{ exponential_buckets: { num_finite_buckets: 2, growth_factor: 2, scale: 0 } }, "metrics[0].buckets.exponential_buckets.scale: must be > 0, got 0"],
    [{ exponential_buckets: { num_finite_buckets: 2000, growth_factor: 10, scale: 1 } }, "metrics[0].buckets.exponential_buckets: the largest bucket bound overflows to infinity"],
    [{ explicit_buckets: { bounds: [] } }, "metrics[0].buckets.explicit_buckets.bounds: expected a non-empty list of increasing numbers"],
    [{ explicit_buckets: { bounds: [1, 3, 2] } }, "metrics[0].buckets.explicit_buckets.bounds[2]: bounds must be strictly increasing (2 after 3)"],
    [{ explicit_buckets: { bounds: [1, "x"] } }, 'metrics[0].buckets.explicit_buckets.bounds[1]: expected a number, got string "x"'],
    [{ linear_buckets: { num_finite_buckets: 1, width: 1, step: 2 } }, "metrics[0].buckets.linear_buckets.step: unknown field (allowed: num_finite_buckets, width, offset)"],
  ])("should reject %j", (raw, want) => {
    expect(parse(raw).errors).toEqual([want]);
  });
});

describe("prometheus value conversion", () => {
  it("should convert like Mixer's promValue", () => {
    expect(promValue(3n)).toEqual({ ok: true, value: 3 });
    expect(promValue(2.5)).toEqual({ ok: true, value: 2.5 });
    expect(promValue(Duration.fromMillis(1500))).toEqual({ ok: true, value: 1.5 });
    expect(promValue("42.5")).toEqual({ ok: true, value: 42.5 });
    expect(promValue("-1e3")).toEqual({ ok: true, value: -1000 });
    expect(promValue("+Inf")).toEqual({ ok: true, value: Infinity });
    expect(promValue("NaN")).toEqual({ ok: true, value: NaN });
  });

  it.each([["abc"], [""], [" 1"], ["0x10"], ["1,5"]])("should refuse the string %j as Go's ParseFloat does", (s) => {
    expect(parseGoFloat(s)).toBeUndefined();
    expect(promValue(s)).toEqual({ ok: false, error: `strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax` });
  });

  it("should refuse non-numeric types with Mixer's message", () => {
    expect(promValue(true)).toEqual({ ok: false, error: "could not extract numeric value for true" });
    expect(promValue(new IpAddress(Uint8Array.from([10, 0, 0, 1])))).toEqual({ ok: false, error: "could not extract numeric value for 10.0.0.1" });
    expect(promValue(undefined)).toEqual({ ok: false, error: "could not extract numeric value for <nil>" });
    expect(promValue(new Timestamp(0n)).ok).toBe(false);
  });

  it("should stringify label values like Mixer (Go formats, absent = empty)", () => {
    expect(labelValue("x")).toBe("x");
    expect(labelValue(7n)).toBe("7");
    expect(labelValue(1e21)).toBe("1000000000000000000000");
    expect(labelValue(false)).toBe("false");
    expect(labelValue(Duration.fromMillis(90_000))).toBe("1m30s");
    expect(labelValue(new StringMap({ b: "2", a: "1" }))).toBe("a=1&b=2");
    expect(labelValue(undefined)).toBe("");
  });
});

describe("prometheus series expiry", () => {
  it("should delete series not refreshed within the expiry, using the injected clock", () => {
    let now = 1000;
    const removed: Record<string, string>[] = [];
    const owner = { remove: (l: Record<string, string>) => void removed.push(l) };
    const e = new SeriesExpiry(500, () => now);
    e.touch("a", owner, { fn: "a" });
    now = 1300;
    e.touch("b", owner, { fn: "b" });
    now = 1499;
    expect(e.sweep()).toBe(0);
    now = 1500;
    expect(e.sweep()).toBe(1);
    expect(removed).toEqual([{ fn: "a" }]);
    e.touch("b", owner, { fn: "b" }); // refreshed at 1500: lives until 2000
    now = 1900;
    expect(e.sweep()).toBe(0);
    now = 2000;
    expect(e.sweep()).toBe(1);
    expect(e.size).toBe(0);
  });

  it("should build collision-free series keys", () => {
    expect(seriesKey("m", "COUNTER", ["a|1:b"])).not.toBe(seriesKey("m", "COUNTER", ["a", "b"]));
    expect(seriesKey("m", "COUNTER", ["a", "b"])).toBe(seriesKey("m", "COUNTER", ["a", "b"]));
  });
});
