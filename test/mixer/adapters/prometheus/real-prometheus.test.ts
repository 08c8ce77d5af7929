import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBag, Duration } from "../../../../src/mixer/attribute/index";
import { createDispatcher, type Dispatcher } from "../../../../src/mixer/dispatcher/index";
import { freePort } from "./free-port";
import { eventually, startPrometheus, type RunningPrometheus } from "./prometheus-server";

// End to end: the real Prometheus server (Debian package `prometheus`) scrapes two handlers
// every second while the dispatcher reports; the values are read back through its HTTP API.
jest.setTimeout(50_000);

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

function config(textPort: number, omPort: number): string {
  const instance = (name: string, value: string, dims: Record<string, string>) =>
    `kind: instance\nmetadata: {name: ${name}}\nspec:\n  compiledTemplate: metric\n  params:\n    value: ${JSON.stringify(value)}\n    dimensions: ${JSON.stringify(dims)}\n`;
  return [
    instance("calls", "1", { fn: "span.name", module: 'destination.service.name | "unknown"' }),
    instance("duration", "span.duration", { fn: "span.name" }),
    instance("depth", "span.depth", { fn: "span.name" }),
    instance("level", "span.depth", { fn: "span.name" }),
    instance("traced", "span.duration", { fn: "span.name", trace_id: 'span.trace_id | ""' }),
    `kind: handler
metadata: {name: prom}
spec:
  compiledAdapter: prometheus
  params:
    address: "127.0.0.1:${textPort}"
    metrics:
      - {instanceName: calls.instance.istio-system, name: calls_total, kind: COUNTER, labelNames: [fn, module], description: "calls per function"}
      - instanceName: duration.instance.istio-system
        name: call_duration_seconds
        kind: DISTRIBUTION
        labelNames: [fn]
        buckets: {explicitBuckets: {bounds: [0.01, 0.1, 1]}}
      - {instanceName: depth.instance.istio-system, name: depth, kind: GAUGE, labelNames: [fn]}
---
kind: handler
metadata: {name: prom-more}
spec:
  compiledAdapter: prometheus
  params:
    address: "127.0.0.1:${omPort}"
    expositionFormat: OPENMETRICS
    metrics:
      - {instanceName: depth.instance.istio-system, namespace: functrace, name: depth_sum, kind: COUNTER, labelNames: [fn]}
      - instanceName: level.instance.istio-system
        namespace: functrace
        name: depth_linear
        kind: DISTRIBUTION
        labelNames: [fn]
        buckets: {linearBuckets: {numFiniteBuckets: 3, width: 2, offset: 0}}
      - instanceName: traced.instance.istio-system
        namespace: functrace
        name: latency_seconds
        kind: DISTRIBUTION
        labelNames: [fn]
        exemplarLabelNames: [trace_id]
        buckets: {exponentialBuckets: {numFiniteBuckets: 3, growthFactor: 10, scale: 0.001}}
`,
    `kind: rule
metadata: {name: calls}
spec:
  actions:
    - {handler: prom, instances: [calls, duration, depth]}
    - {handler: prom-more, instances: [depth, level, traced]}
`,
  ].join("---\n");
}

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
function bags() {
  const b = (name: string, ms: number, depth: number, extra: Record<string, unknown> = {}) =>
    createBag({ "span.name": name, "span.duration": Duration.fromMillis(ms), "span.depth": BigInt(depth), ...extra });
  return [
    b("shop.add", 5, 1, { "destination.service.name": "shop", "span.trace_id": TRACE }),
    b("shop.add", 50, 2, { "destination.service.name": "shop" }),
    b("shop.add", 500, 3),
    b("pay.charge", 2000, 4, { "destination.service.name": "pay" }),
    b("pay.charge", 1, -1, { "destination.service.name": "pay" }), // depth -1: the depth_sum counter refuses it
  ];
}

describe("prometheus adapter against the real Prometheus server", () => {
  let dir: string;
  let prom: RunningPrometheus | undefined;
  let d: Dispatcher | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ft-prom-e2e-"));
  });
  afterAll(async () => {
    await d?.close();
    await prom?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const query = async (q: string): Promise<Sample[]> => ((await prom!.api("query", { query: q })) as { result: Sample[] }).result;
  /** `{labels…} → value` for an instant query, labels without __name__/job/instance. */
  const series = async (q: string): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const s of await query(q)) {
      const { __name__: _n, job: _j, instance: _i, ...labels } = s.metric;
      const key = Object.keys(labels)
        .sort()
        .map((k) => `${k}=${labels[k]}`)
        .join(",");
      out[key] = Number(s.value[1]);
    }
    return out;
  };

  it("should be scraped while the dispatcher reports, with counters, buckets, sums, counts and gauges as reported", async () => {
    const [textPort, omPort, promPort] = [await freePort(), await freePort(), await freePort()];
    const file = join(dir, "functrace.yaml");
    writeFileSync(file, config(textPort, omPort));
    d = await createDispatcher({ config: file, callTimeoutMs: 2000 });
    expect(d.snapshot.errors.map(String)).toEqual([]);

    prom = await startPrometheus(
      dir,
      promPort,
      `global: {scrape_interval: 1s, scrape_timeout: 900ms, evaluation_interval: 1s}
scrape_configs:
  - job_name: functrace
    static_configs: [{targets: ["127.0.0.1:${textPort}"]}]
  - job_name: functrace-openmetrics
    static_configs: [{targets: ["127.0.0.1:${omPort}"]}]
`,
      ["--enable-feature=exemplar-storage"],
    );

    // One bad instance (a negative counter increment) is refused on its own; everything else lands.
    const reporter = d.getReporter();
    for (const bag of bags()) expect(reporter.report(bag)).toEqual([]);
    await expect(reporter.flush()).rejects.toThrow(/counters can only increase \(got -1\)/);
    expect(await eventually(async () => (await series("istio_calls_total"))["fn=pay.charge,module=pay"] === 2, 15_000)).toBe(true);

    expect(await series("istio_calls_total")).toEqual({ "fn=shop.add,module=shop": 2, "fn=shop.add,module=unknown": 1, "fn=pay.charge,module=pay": 2 });
    expect(await series('istio_call_duration_seconds_bucket{fn="shop.add"}')).toEqual({ "fn=shop.add,le=0.01": 1, "fn=shop.add,le=0.1": 2, "fn=shop.add,le=1": 3, "fn=shop.add,le=+Inf": 3 });
    expect(await series('istio_call_duration_seconds_bucket{fn="pay.charge"}')).toEqual({ "fn=pay.charge,le=0.01": 1, "fn=pay.charge,le=0.1": 1, "fn=pay.charge,le=1": 1, "fn=pay.charge,le=+Inf": 2 });
    const sums = await series("istio_call_duration_seconds_sum");
    expect(sums["fn=shop.add"]).toBeCloseTo(0.555, 9);
    expect(sums["fn=pay.charge"]).toBeCloseTo(2.001, 9);
    expect(await series("istio_call_duration_seconds_count")).toEqual({ "fn=shop.add": 3, "fn=pay.charge": 2 });
    expect(await series("istio_depth")).toEqual({ "fn=shop.add": 3, "fn=pay.charge": -1 });

    // The OpenMetrics handler: a counter, linear and exponential buckets, an exemplar.
    expect(await eventually(async () => (await series("functrace_depth_sum_total"))["fn=shop.add"] === 6, 10_000)).toBe(true);
    expect(await series("functrace_depth_sum_total")).toEqual({ "fn=shop.add": 6, "fn=pay.charge": 4 });
    expect(await series('functrace_depth_linear_bucket{fn="shop.add"}')).toEqual({ "fn=shop.add,le=0": 0, "fn=shop.add,le=2": 2, "fn=shop.add,le=4": 3, "fn=shop.add,le=6": 3, "fn=shop.add,le=+Inf": 3 });
    expect(await series('functrace_latency_seconds_bucket{fn="shop.add"}')).toEqual({ "fn=shop.add,le=0.001": 0, "fn=shop.add,le=0.01": 1, "fn=shop.add,le=0.1": 2, "fn=shop.add,le=1": 3, "fn=shop.add,le=+Inf": 3 });
    expect(await series("functrace_latency_seconds_count")).toEqual({ "fn=shop.add": 3, "fn=pay.charge": 2 });
    const now = Date.now() / 1000;
    const ex = (await prom.api("query_exemplars", { query: "functrace_latency_seconds_bucket", start: String(now - 60), end: String(now + 5) })) as {
      seriesLabels: Record<string, string>;
      exemplars: { labels: Record<string, string>; value: string }[];
    }[];
    expect(ex.flatMap((e) => e.exemplars.map((x) => ({ le: e.seriesLabels.le, fn: e.seriesLabels.fn, trace_id: x.labels.trace_id, value: Number(x.value) })))).toEqual([
      { le: "0.01", fn: "shop.add", trace_id: TRACE, value: 0.005 },
    ]);

    // A second round: the scraped counters move on.
    for (const bag of bags()) reporter.report(bag);
    await expect(reporter.flush()).rejects.toThrow(/counters can only increase/);
    expect(await eventually(async () => (await series("istio_calls_total"))["fn=pay.charge,module=pay"] === 4, 10_000)).toBe(true);
    expect(await series('istio_call_duration_seconds_count{fn="shop.add"}')).toEqual({ "fn=shop.add": 6 });
    reporter.done();

    // Both endpoints were up for every scrape.
    const up = await query("min_over_time(up[1m])");
    expect(up.map((s) => [s.metric.job, s.value[1]]).sort()).toEqual([
      ["functrace", "1"],
      ["functrace-openmetrics", "1"],
    ]);
  });
});
