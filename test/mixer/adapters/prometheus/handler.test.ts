import { Duration } from "../../../../src/mixer/attribute/index";
import { parsePrometheusConfig } from "../../../../src/mixer/adapters/prometheus/config";
import { PrometheusHandler, PrometheusReportError } from "../../../../src/mixer/adapters/prometheus/handler";
import type { FieldError, Instance } from "../../../../src/mixer/adapter/types";

const M = "calls.instance.istio-system";
const D = "latency.instance.istio-system";
const G = "inflight.instance.istio-system";

function handler(params: Record<string, unknown>, now?: () => number): PrometheusHandler {
  const errors: FieldError[] = [];
  const cfg = parsePrometheusConfig({ address: "", ...params }, errors);
  expect(errors).toEqual([]);
  return new PrometheusHandler(cfg, { now });
}

const metrics = [
  { instance_name: M, name: "calls_total", kind: "COUNTER", label_names: ["fn", "error"], description: "calls per function" },
  { instance_name: D, name: "latency_seconds", kind: "DISTRIBUTION", label_names: ["fn"], buckets: { explicit_buckets: { bounds: [0.01, 0.1, 1] } } },
  { instance_name: G, namespace: "functrace", name: "in-flight", kind: "GAUGE", label_names: ["fn"] },
];

/** Sample lines of the exposition, without comments. */
async function samples(h: PrometheusHandler): Promise<string[]> {
  return (await h.metrics()).split("\n").filter((l) => l !== "" && !l.startsWith("#"));
}

function reportErrors(h: PrometheusHandler, batch: Instance[]): string[] {
  try {
    h.handleReport("metric", batch);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(PrometheusReportError);
    return [...(e as PrometheusReportError).problems];
  }
}

describe("prometheus handler", () => {
  it("should record counters, histograms and gauges with Mixer names and converted values", async () => {
    const h = handler({ metrics });
    h.handleReport("metric", [
      { name: M, value: 1n, dimensions: { fn: "a", error: false } },
      { name: M, value: "2", dimensions: { error: false, fn: "a" } },
      { name: M, value: 1.5, dimensions: { fn: "b", error: true } },
      { name: D, value: Duration.fromMillis(50), dimensions: { fn: "a" } },
      { name: D, value: Duration.fromMillis(500), dimensions: { fn: "a" } },
      { name: D, value: 5, dimensions: { fn: "a" } },
      { name: G, value: 3n, dimensions: { fn: "a" } },
      { name: G, value: -1n, dimensions: { fn: "a" } },
    ]);
    const text = await h.metrics();
    expect(text).toContain("# HELP istio_calls_total calls per function\n# TYPE istio_calls_total counter");
    expect(text).toContain("# HELP istio_latency_seconds latency_seconds\n# TYPE istio_latency_seconds histogram");
    expect(await samples(h)).toEqual([
      'istio_calls_total{fn="a",error="false"} 3',
      'istio_calls_total{fn="b",error="true"} 1.5',
      'istio_latency_seconds_bucket{le="0.01",fn="a"} 0',
      'istio_latency_seconds_bucket{le="0.1",fn="a"} 1',
      'istio_latency_seconds_bucket{le="1",fn="a"} 2',
      'istio_latency_seconds_bucket{le="+Inf",fn="a"} 3',
      'istio_latency_seconds_sum{fn="a"} 5.55',
      'istio_latency_seconds_count{fn="a"} 3',
      'functrace_inflight{fn="a"} -1',
    ]);
    expect(h.contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(h.stats).toMatchObject({ recorded: 8, rejected: 0 });
  });

  it("should use the default buckets and the sanitised instance name when none are given", async () => {
    const h = handler({ metrics: [{ instance_name: D, kind: "DISTRIBUTION" }] });
    h.handleReport("metric", [{ name: D, value: 0.2, dimensions: {} }]);
    const les = (await samples(h)).filter((l) => l.includes("_bucket")).map((l) => /le="([^"]+)"/.exec(l)![1]);
    expect(les).toEqual(["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"]);
    expect((await samples(h))[0]).toMatch(/^istio_latency_instance_istiosystem_bucket/);
  });

  it("should refuse bad instances one by one and still record the rest of the batch", async () => {
    const h = handler({ metrics });
    const problems = reportErrors(h, [
      { name: M, value: 1n, dimensions: { fn: "ok", error: false } },
      { name: M, value: "abc", dimensions: { fn: "x", error: false } },
      { name: M, value: true, dimensions: { fn: "x", error: false } },
      { name: M, value: -2n, dimensions: { fn: "x", error: false } },
      { name: M, value: 1n, dimensions: { fn: "x" } },
      { name: M, value: 1n, dimensions: { fn: "x", error: false, extra: 1n } },
      { name: "unknown.instance.istio-system", value: 1n, dimensions: {} },
      { name: D, value: "NaN", dimensions: { fn: "x" } },
      { name: M, value: 4n, dimensions: { fn: "ok", error: false } },
    ]);
    expect(problems).toEqual([
      'could not get value for metric calls.instance.istio-system: strconv.ParseFloat: parsing "abc": invalid syntax',
      "could not get value for metric calls.instance.istio-system: could not extract numeric value for true",
      "could not add to counter istio_calls_total for calls.instance.istio-system: counters can only increase (got -2)",
      "could not record metric istio_calls_total for calls.instance.istio-system: dimensions [fn] do not match label_names [error, fn]",
      "could not record metric istio_calls_total for calls.instance.istio-system: dimensions [error, extra, fn] do not match label_names [error, fn]",
      "could not find metric info from adapter config for unknown.instance.istio-system",
      "could not observe istio_latency_seconds for latency.instance.istio-system: value is NaN",
    ]);
    expect(await samples(h)).toEqual(['istio_calls_total{fn="ok",error="false"} 5']);
    expect(h.stats).toMatchObject({ recorded: 2, rejected: 7 });
  });

  it("should refuse an infinite histogram observation on its own, not fail the batch", async () => {
    const h = handler({ metrics });
    const problems = reportErrors(h, [
      { name: D, value: "+Inf", dimensions: { fn: "a" } },
      { name: D, value: 0.05, dimensions: { fn: "a" } },
    ]);
    expect(problems).toEqual(["could not observe istio_latency_seconds for latency.instance.istio-system: value is Infinity"]);
    expect((await samples(h)).filter((l) => l.includes("_count"))).toEqual(['istio_latency_seconds_count{fn="a"} 1']);
    expect(h.stats).toMatchObject({ recorded: 1, rejected: 1 });
  });

  it("should bound the batch error message and list how many more failed", () => {
    const h = handler({ metrics });
    const batch = Array.from({ length: 25 }, () => ({ name: M, value: -1n, dimensions: { fn: "a", error: false } }));
    expect(() => h.handleReport("metric", batch)).toThrow(/^25 of 25 instance\(s\) not recorded: .*; and 15 more$/);
  });

  it("should match dimension keys after sanitising them like label names", async () => {
    const h = handler({ metrics: [{ instance_name: M, name: "c", kind: "COUNTER", label_names: ["source-app", "dest.svc"] }] });
    h.handleReport("metric", [{ name: M, value: 1n, dimensions: { "source-app": "a", "dest.svc": "b" } }]);
    expect(await samples(h)).toEqual(['istio_c{sourceapp="a",dest_svc="b"} 1']);
  });

  it("should expire series with the injected clock and keep refreshed ones", async () => {
    let now = 0;
    const h = handler({ metrics, metrics_expiration_policy: { metrics_expiry_duration: "10s", expiry_check_interval_duration: "1s" } }, () => now);
    h.handleReport("metric", [
      { name: M, value: 1n, dimensions: { fn: "old", error: false } },
      { name: M, value: 1n, dimensions: { fn: "kept", error: false } },
      { name: D, value: 1, dimensions: { fn: "old" } },
    ]);
    expect(h.trackedSeries).toBe(3);
    now = 6000;
    h.handleReport("metric", [{ name: M, value: 1n, dimensions: { fn: "kept", error: false } }]);
    now = 9999;
    expect(h.sweepExpired()).toBe(0);
    now = 10_000;
    expect(h.sweepExpired()).toBe(2);
    expect(await samples(h)).toEqual(['istio_calls_total{fn="kept",error="false"} 2']);
    now = 16_000;
    expect(h.sweepExpired()).toBe(1);
    expect(await samples(h)).toEqual([]);
    expect(h.stats.expired).toBe(3);
    // A series that comes back starts from zero, like a new series.
    h.handleReport("metric", [{ name: M, value: 1n, dimensions: { fn: "kept", error: false } }]);
    expect(await samples(h)).toEqual(['istio_calls_total{fn="kept",error="false"} 1']);
  });

  it("should put exemplar dimensions on the histogram in OpenMetrics, not in the labels", async () => {
    const h = handler({
      exposition_format: "OPENMETRICS",
      metrics: [
        { instance_name: D, name: "latency_seconds", kind: "DISTRIBUTION", label_names: ["fn"], exemplar_label_names: ["trace_id"], buckets: { explicit_buckets: { bounds: [0.1, 1] } } },
        { instance_name: M, name: "calls_total", kind: "COUNTER", label_names: ["fn"], exemplar_label_names: ["trace_id"] },
      ],
    });
    h.handleReport("metric", [
      { name: D, value: 0.05, dimensions: { fn: "a", trace_id: "4bf92f3577b34da6a3ce929d0e0e4736" } },
      { name: D, value: 0.5, dimensions: { fn: "a", trace_id: "" } },
      { name: D, value: 0.7, dimensions: { fn: "a" } },
      { name: M, value: 1n, dimensions: { fn: "a", trace_id: "00f067aa0ba902b7" } },
      { name: D, value: 0.06, dimensions: { fn: "a", trace_id: "x".repeat(200) } },
    ]);
    const text = await h.metrics();
    expect(h.contentType).toBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
    expect(text.endsWith("# EOF\n")).toBe(true);
    const lines = text.split("\n");
    const b01 = lines.find((l) => l.startsWith('istio_latency_seconds_bucket{le="0.1",fn="a"}'))!;
    expect(b01).toMatch(/^istio_latency_seconds_bucket\{le="0.1",fn="a"\} 2 # \{trace_id="4bf92f3577b34da6a3ce929d0e0e4736"\} 0.05 \d+(\.\d+)?$/);
    expect(lines.find((l) => l.startsWith('istio_latency_seconds_bucket{le="1",fn="a"}'))).toBe('istio_latency_seconds_bucket{le="1",fn="a"} 4');
    expect(lines.find((l) => l.startsWith("istio_calls_total{"))).toMatch(/^istio_calls_total\{fn="a"\} 1 # \{trace_id="00f067aa0ba902b7"\} 1 \d/);
    expect(text).not.toMatch(/istio_latency_seconds_(sum|count)\{[^}]*trace_id/);
    expect(h.stats.exemplarsDropped).toBe(1); // the 200-character trace id: recorded, exemplar left out
  });

  it("should stop recording and forget expiry state on close", async () => {
    const h = handler({ metrics, metrics_expiration_policy: { metrics_expiry_duration: "1s" } }, () => 0);
    h.handleReport("metric", [{ name: G, value: 1n, dimensions: { fn: "a" } }]);
    await h.close();
    h.handleReport("metric", [{ name: G, value: 2n, dimensions: { fn: "a" } }]);
    expect(h.trackedSeries).toBe(0);
    expect(await samples(h)).toEqual(['functrace_inflight{fn="a"} 1']);
  });
});
