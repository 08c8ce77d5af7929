import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILTIN_ADAPTERS, Dispatcher, createBag, createLogger } from "../../../../src/mixer/index";
import { Duration, ValueType } from "../../../../src/mixer/attribute/index";
import { HandlerEnv } from "../../../../src/mixer/adapter/env";
import type { Instance } from "../../../../src/mixer/adapter/types";
import { circonusAdapter } from "../../../../src/mixer/adapters/circonus/info";
import { seriesName, type CirconusHandler } from "../../../../src/mixer/adapters/circonus/handler";
import { Histogram, bucketLeft, bucketOfIntScale, bucketWidth } from "../../../../src/mixer/adapters/circonus/histogram";
import { freeTcpPort } from "../statsd/daemon";
import { TrapReceiver } from "./receiver";

const ADAPTERS = BUILTIN_ADAPTERS.some((a) => a.name === "circonus") ? BUILTIN_ADAPTERS : [...BUILTIN_ADAPTERS, circonusAdapter];
let rx: TrapReceiver;
beforeEach(async () => {
  rx = await TrapReceiver.start();
});
afterEach(async () => {
  await rx.stop();
});

async function build(params: Record<string, unknown>): Promise<{ h: CirconusHandler; env: HandlerEnv; logs: string[] }> {
  const logs: string[] = [];
  const env = new HandlerEnv(createLogger((level, _s, m) => logs.push(`${level} ${m}`), "h"), "h.handler.istio-system");
  const names = ((params.metrics ?? []) as { name: string }[]).map((m) => m.name);
  const types = new Map([["metric", new Map(names.map((n) => [n, { value: ValueType.INT64, dimensions: {} }]))]]);
  const input = { params: { ...(circonusAdapter.defaultConfig as object), submission_url: rx.url, ...params }, types };
  expect(circonusAdapter.newBuilder().validate(input)).toEqual([]);
  const h = (await circonusAdapter.newBuilder().build(input, env)) as CirconusHandler;
  return { h, env, logs };
}
const inst = (name: string, value: unknown, dimensions: Record<string, unknown> = {}): Instance => ({ name, value, dimensions });

/** Seeded log-normal durations in ms (median ≈ 20 ms, long tail). */
function durations(n: number, seed: number): number[] {
  let s = seed;
  const rnd = (): number => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 || 1e-9;
  return Array.from({ length: n }, () => Math.exp(Math.log(20) + 1.2 * Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd())));
}

/** Checks the §6 rule: every estimate lies in the closed bucket of x_(r) and within 10 % of it. */
function checkQuantiles(h: Histogram, exactNanos: bigint[]): void {
  const sorted = [...exactNanos].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const qs = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];
  const [t1, lin] = [h.quantile(qs), h.quantileLinear(qs)];
  qs.forEach((q, i) => {
    const ns = sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
    const x = Number(ns) / 1e9;
    const b = bucketOfIntScale(ns, -9)!;
    for (const est of [t1[i], lin[i]]) {
      expect(Math.abs(est - x)).toBeLessThanOrEqual(0.1 * x);
      expect(est).toBeGreaterThanOrEqual(bucketLeft(b) * (1 - 1e-12));
      expect(est).toBeLessThanOrEqual((bucketLeft(b) + bucketWidth(b)) * (1 + 1e-12));
    }
  });
}

describe("circonus adapter against a local HTTPTrap receiver", () => {
  it("should submit counters, gauges and histograms periodically in the spec's payload shape, then a final flush on close()", async () => {
    const d = new Dispatcher({ adapters: ADAPTERS, callTimeoutMs: 500 });
    const u = await d.applyResources([
      {
        kind: "handler",
        metadata: { name: "trap" },
        spec: {
          compiledAdapter: "circonus",
          params: {
            submissionUrl: rx.url,
            submissionInterval: "1s",
            metrics: [
              { name: "calls.instance.istio-system", type: "COUNTER" },
              { name: "depth.instance.istio-system", type: "GAUGE" },
              { name: "latency.instance.istio-system", type: "DISTRIBUTION" },
            ],
          },
        },
      },
      { kind: "instance", metadata: { name: "calls" }, spec: { compiledTemplate: "metric", params: { value: "1", dimensions: { fn: "span.name" } } } },
      { kind: "instance", metadata: { name: "depth" }, spec: { compiledTemplate: "metric", params: { value: "span.depth", dimensions: {} } } },
      { kind: "instance", metadata: { name: "latency" }, spec: { compiledTemplate: "metric", params: { value: "span.duration", dimensions: {} } } },
      { kind: "rule", metadata: { name: "all" }, spec: { actions: [{ handler: "trap", instances: ["calls", "depth", "latency"] }] } },
    ]);
    expect(u.errors.map(String)).toEqual([]);
    const bag = (fn: string, ms: number, depth: number) => createBag({ "span.name": fn, "span.duration": Duration.fromMillis(ms), "span.depth": BigInt(depth) });
    await d.report([bag("shop.Cart.add", 2.5, 1), bag("shop.Cart.add", 3.1, 2), bag("shop.Cart.add", 3.15, 3), bag("shop.Cart.add", 4.9, 3), bag("shop.Cart.remove", 1234, 7)]);
    const [first] = await rx.waitFor(1, 3000);
    expect(first.method).toBe("PUT");
    expect(first.url).toBe("/module/httptrap/0b8b7b52-1bd6-4e3e-8a7b-3a1f3b2c9d10/s3cret");
    expect(first.headers["content-type"]).toBe("application/json");
    expect(first.headers.accept).toBe("application/json");
    expect(first.json).toEqual({
      "calls.instance.istio-system|ST[fn:shop.Cart.add]": { _type: "L", _value: "4" },
      "calls.instance.istio-system|ST[fn:shop.Cart.remove]": { _type: "L", _value: "1" },
      "depth.instance.istio-system": { _type: "l", _value: "7" },
      "latency.instance.istio-system": { _type: "h", _value: ["H[2.5e-03]=1", "H[3.1e-03]=2", "H[4.9e-03]=1", "H[1.2e+00]=1"] }, // spec §9.2
    });
    await new Promise((r) => setTimeout(r, 1300));
    expect(rx.requests).toHaveLength(1); // an empty interval sends nothing
    await d.report([bag("shop.Cart.add", 10, 1)]);
    await d.close(); // final flush, awaited
    expect(rx.requests).toHaveLength(2);
    expect(rx.requests[1].json).toEqual({
      "calls.instance.istio-system|ST[fn:shop.Cart.add]": { _type: "L", _value: "1" }, // per-interval delta
      "depth.instance.istio-system": { _type: "l", _value: "1" },
      "latency.instance.istio-system": { _type: "h", _value: ["H[1.0e-02]=1"] },
    });
  });

  it.each(["strings", "base64"])("should receive %s histograms whose quantiles match the input within the stated error bound", async (encoding) => {
    const { h } = await build({ histogram_encoding: encoding, submission_interval: "1h", metrics: [{ name: "lat", type: "DISTRIBUTION" }] });
    const ms = durations(5000, encoding === "strings" ? 7 : 11);
    const ds = ms.map((m) => Duration.fromMillis(m));
    for (let i = 0; i < ds.length; i += 500) h.handleReport("metric", ds.slice(i, i + 500).map((d) => inst("lat", d)));
    await h.close();
    const [req] = await rx.waitFor(1);
    const v = req.json.lat;
    expect(v._type).toBe("h");
    const got = encoding === "base64" ? Histogram.fromBase64(v._value as string) : Histogram.fromStrings(v._value as string[]);
    expect(got.count).toBe(5000);
    checkQuantiles(got, ds.map((d) => d.nanos));
    const exactMean = ms.reduce((a, b) => a + b, 0) / ms.length / 1000;
    expect(Math.abs(got.mean() - exactMean) / exactMean).toBeLessThan(1 / 21);
  });

  it("should record durations in the configured unit", async () => {
    const { h } = await build({ duration_unit: "ms", metrics: [{ name: "lat", type: "DISTRIBUTION" }] });
    h.handleReport("metric", [inst("lat", Duration.fromMillis(1234)), inst("lat", 250n), inst("lat", 0.5)]);
    await h.close();
    expect((await rx.waitFor(1))[0].json.lat).toEqual({ _type: "h", _value: ["H[5.0e-01]=1", "H[2.5e+02]=1", "H[1.2e+03]=1"] });
  });

  it("should behave like Istio 1.7 with istio_compat (+1 counters, ns, _type n, no dimensions)", async () => {
    const { h } = await build({ istio_compat: true, metrics: [{ name: "c", type: "COUNTER" }, { name: "g", type: "GAUGE" }, { name: "d", type: "DISTRIBUTION" }] });
    h.handleReport("metric", [inst("c", 40n, { a: "x" }), inst("c", 2n, { a: "y" }), inst("g", 1.5), inst("d", Duration.fromMillis(1234), { a: "x" })]);
    await h.close();
    expect((await rx.waitFor(1))[0].json).toEqual({
      c: { _type: "L", _value: "2" },
      g: { _type: "l", _value: "0" },
      d: { _type: "n", _value: ["H[1.2e+09]=1"] }, // Istio's circonus_test: 1234 ms in ns
    });
  });

  it("should accept 204 from circonus-agent", async () => {
    rx.mode = "204";
    const { h } = await build({ metrics: [{ name: "g", type: "GAUGE" }] });
    h.handleReport("metric", [inst("g", 2.5)]);
    await h.close();
    expect(h.stats).toMatchObject({ submissions: 1, errors: 0 });
    expect(rx.requests[0].json).toEqual({ g: { _type: "n", _value: 2.5 } });
  });

  it("should refuse bad values per instance and keep the rest", async () => {
    const { h } = await build({ metrics: [{ name: "c", type: "COUNTER" }, { name: "g", type: "GAUGE" }, { name: "d", type: "DISTRIBUTION" }] });
    expect(() => h.handleReport("metric", [inst("c", -1n), inst("c", 5n), inst("g", "high"), inst("d", Infinity), inst("d", true), inst("x", 1n)])).toThrow(
      "could not record counter 'c': negative increment -1; could not record gauge 'g' expected int or double value, got high; could not record distribution 'd': +Inf is outside the histogram's range (|x| < 1e128); could not record distribution 'd'; expected duration, int or double, got true; missing metric configuration x",
    );
    expect(h.stats.rejected).toBe(5);
    await h.close();
    expect(rx.requests[0].json).toEqual({ c: { _type: "L", _value: "5" } });
  });
});

describe("circonus adapter when the receiver misbehaves", () => {
  it("should count a 500 after retrying, drop the interval's data and log it", async () => {
    rx.mode = "500";
    const { h, logs } = await build({ retries: 1, metrics: [{ name: "c", type: "COUNTER" }, { name: "g", type: "GAUGE" }] });
    h.handleReport("metric", [inst("c", 1n), inst("g", 3n)]);
    await h.close();
    expect(rx.requests).toHaveLength(2);
    expect(h.stats).toMatchObject({ submissions: 0, errors: 1, retries: 1, dropped: 2 });
    expect(logs).toEqual([expect.stringMatching(/^warn \[ERROR\] submitting metrics to http:\/\/127\.0\.0\.1:\d+\/module\/httptrap\/[0-9a-f-]+\/…: status 500 \{"error":"internal"\} \(2 metrics dropped\)$/)]);
    expect(logs[0]).not.toContain("s3cret");
  });

  it("should not block the dispatcher or close() when the receiver never answers", async () => {
    rx.mode = "hang";
    const { h } = await build({ submission_timeout: "200ms", retries: 0, metrics: [{ name: "c", type: "COUNTER" }] });
    const t0 = Date.now();
    h.handleReport("metric", [inst("c", 1n)]);
    expect(Date.now() - t0).toBeLessThan(50);
    await h.close();
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(rx.requests).toHaveLength(1);
    expect(h.stats).toMatchObject({ errors: 1, dropped: 1 });
  });

  it("should keep the dispatcher fast while a hanging receiver stalls the periodic flush", async () => {
    rx.mode = "hang";
    const d = new Dispatcher({ adapters: ADAPTERS, callTimeoutMs: 100 });
    await d.applyResources([
      { kind: "handler", metadata: { name: "trap" }, spec: { compiledAdapter: "circonus", params: { submission_url: rx.url, submission_interval: "1s", submission_timeout: "3s", retries: 0, metrics: [{ name: "c.instance.istio-system", type: "COUNTER" }] } } },
      { kind: "instance", metadata: { name: "c" }, spec: { compiledTemplate: "metric", params: { value: "1", dimensions: {} } } },
      { kind: "rule", metadata: { name: "r" }, spec: { actions: [{ handler: "trap", instances: ["c"] }] } },
    ]);
    await d.report([createBag({})]);
    await rx.waitFor(1, 3000); // the periodic flush is now hanging
    const t0 = Date.now();
    for (let i = 0; i < 100; i++) await d.report([createBag({})]);
    expect(Date.now() - t0).toBeLessThan(500);
    expect(d.stats).toMatchObject({ dispatchErrors: 0 });
    await d.close();
  });

  it("should count a refused connection", async () => {
    const port = await freeTcpPort();
    const { h } = await build({ submission_url: `http://127.0.0.1:${port}/module/httptrap/x/y`, retries: 0, metrics: [{ name: "c", type: "COUNTER" }] });
    h.handleReport("metric", [inst("c", 1n)]);
    await h.close();
    expect(h.stats).toMatchObject({ submissions: 0, errors: 1, dropped: 1 });
  });
});

describe("circonus names and config validation", () => {
  it("should write dimensions as sorted stream tags, base64-wrapping unsafe text", () => {
    expect(seriesName("m.instance.ns", {})).toBe("m.instance.ns");
    expect(seriesName("m", { b: 2n, a: "x/y.z-1" })).toBe("m|ST[a:x/y.z-1,b:2]");
    expect(seriesName("m", { "a b": "GET /x,y" })).toBe(`m|ST[b"${Buffer.from("a b").toString("base64")}":b"${Buffer.from("GET /x,y").toString("base64")}"]`);
    expect(seriesName("m", { e: "" })).toBe('m|ST[e:b""]');
  });

  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "ft-circonus-cfg-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("should validate metrics against the routed instances in both directions, located", async () => {
    const file = join(dir, "circonus.yaml");
    writeFileSync(
      file,
      [
        "kind: instance",
        "metadata: {name: calls}",
        "spec: {compiledTemplate: metric, params: {value: '1'}}",
        "---",
        "kind: handler",
        "metadata: {name: trap}",
        "spec:",
        "  compiledAdapter: circonus",
        "  params:",
        "    submission_url: 'not a url'",
        "    submission_interval: 500ms",
        "    metrics:",
        "      - name: ghost.instance.istio-system",
        "        type: COUNTER",
        "      - name: other.instance.istio-system",
        "        type: UNKNOWN",
        "---",
        "kind: rule",
        "metadata: {name: r}",
        "spec: {actions: [{handler: trap, instances: [calls]}]}",
        "",
      ].join("\n"),
    );
    const d = new Dispatcher({ adapters: ADAPTERS });
    const u = await d.loadFiles(file);
    const h = `${file}#2`;
    const res = "handler='trap.handler.istio-system'.params";
    expect(u.errors.map(String).filter((t) => t.includes("handler='trap"))).toEqual([
      `${h}:10 ${res}.submission_url: parse "not a url": invalid URI for request`,
      `${h}:11 ${res}.submission_interval: submission_interval must be at least 1 second`,
      `${h}:16 ${res}.metrics[1].type: must be COUNTER, GAUGE or DISTRIBUTION (UNKNOWN is never submitted)`,
      `${h}:13 ${res}.metrics: missing metric configuration calls.instance.istio-system`,
      `${h}:13 ${res}.metrics[0].name: missing metric type for ghost.instance.istio-system: no metric instance of that name is routed to this handler`,
      `${h}:15 ${res}.metrics[1].name: missing metric type for other.instance.istio-system: no metric instance of that name is routed to this handler`,
    ]);
    await d.close();
  });

  it.each([
    [{ submission_url: "" }, "submission_url: required: the HTTPTrap check's data submission URL"],
    [{ submission_url: "ftp://x/y" }, 'submission_url: unsupported scheme "ftp:" (http or https)'],
    [{ submission_timeout: "0s" }, "submission_timeout: must be > 0 and at most 24 days"],
    [{ retries: 11 }, "retries: must be in 0..10"],
    [{ duration_unit: "h" }, 'duration_unit: expected one of s, ms, us, ns, got string "h"'],
    [{ histogram_encoding: "json" }, 'histogram_encoding: expected one of strings, base64, got string "json"'],
    [{ metrics: { a: 1 } }, "metrics: expected a list of {name, type}"],
    [{ metrics: [{ type: "GAUGE" }] }, "metrics[0].name: required (the metric instance FQN)"],
  ])("should reject %j", (params, expected) => {
    const errors = circonusAdapter.newBuilder().validate({ params: { submission_url: "https://trap.example/module/httptrap/u/s", ...params }, types: new Map() });
    expect(errors.map((e) => `${e.field}: ${e.message}`)).toEqual([expected]);
  });
});
