import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILTIN_ADAPTERS, Dispatcher, createBag, createLogger, NOOP_LOG_SINK } from "../../../../src/mixer/index";
import { Duration, ValueType } from "../../../../src/mixer/attribute/index";
import { HandlerEnv } from "../../../../src/mixer/adapter/env";
import type { Instance } from "../../../../src/mixer/adapter/types";
import { statsdAdapter } from "../../../../src/mixer/adapters/statsd/info";
import type { StatsdHandler } from "../../../../src/mixer/adapters/statsd/handler";
import { StatsdDaemon, freeUdpPort, sleep } from "./daemon";

const ADAPTERS = BUILTIN_ADAPTERS; // statsd is a built-in
let daemon: StatsdDaemon;

beforeAll(async () => {
  daemon = await StatsdDaemon.start(200);
});
afterAll(async () => {
  await daemon?.stop();
});

/** Builds a handler directly (as the dispatcher would) for metric instances with the given dimensions. */
async function build(params: Record<string, unknown>, instances: Record<string, string[]> = {}): Promise<{ h: StatsdHandler; env: HandlerEnv; logs: string[] }> {
  const logs: string[] = [];
  const env = new HandlerEnv(createLogger((level, _s, m) => logs.push(`${level} ${m}`), "h"), "h.handler.istio-system");
  const types = new Map([["metric", new Map(Object.entries(instances).map(([fqn, dims]) => [fqn, { value: ValueType.INT64, dimensions: Object.fromEntries(dims.map((d) => [d, ValueType.STRING])) }]))]]);
  const input = { params: { ...statsdAdapter.defaultConfig as object, ...params }, types };
  expect(statsdAdapter.newBuilder().validate(input)).toEqual([]);
  const h = (await statsdAdapter.newBuilder().build(input, env)) as StatsdHandler;
  return { h, env, logs };
}

const inst = (name: string, value: unknown, dimensions: Record<string, unknown> = {}): Instance => ({ name, value, dimensions });
const addr = (): string => `127.0.0.1:${daemon.port}`;

describe("statsd adapter against the real statsd daemon", () => {
  it("should deliver counters, gauges and timings with prefix and templated names through the dispatcher", async () => {
    const d = new Dispatcher({ adapters: ADAPTERS, callTimeoutMs: 500 });
    const u = await d.applyResources([
      {
        kind: "handler",
        metadata: { name: "sd" },
        spec: {
          compiledAdapter: "statsd",
          params: {
            address: addr(),
            prefix: "t1",
            flushDuration: "20ms",
            metrics: {
              "calls.instance.istio-system": { type: "COUNTER", nameTemplate: "calls.{{.fn}}.{{ .error }}" },
              "latency.instance.istio-system": { type: "DISTRIBUTION", name_template: "latency.{{.fn}}" },
              "depth.instance.istio-system": { type: "GAUGE" },
            },
          },
        },
      },
      { kind: "instance", metadata: { name: "calls" }, spec: { compiledTemplate: "metric", params: { value: "1", dimensions: { fn: "span.name", error: "span.error" } } } },
      { kind: "instance", metadata: { name: "latency" }, spec: { compiledTemplate: "metric", params: { value: "span.duration", dimensions: { fn: "span.name" } } } },
      { kind: "instance", metadata: { name: "depth" }, spec: { compiledTemplate: "metric", params: { value: "span.depth", dimensions: {} } } },
      { kind: "rule", metadata: { name: "all" }, spec: { actions: [{ handler: "sd", instances: ["calls", "latency", "depth"] }] } },
    ]);
    expect(u.errors.map(String)).toEqual([]);
    expect(u.buildErrors).toEqual([]);
    const bag = (fn: string, ms: number, depth: number, error = false) => createBag({ "span.name": fn, "span.duration": Duration.fromMillis(ms), "span.depth": BigInt(depth), "span.error": error });
    await d.report([bag("shop.Cart.add", 3, 2), bag("shop.Cart.add", 5, 4), bag("shop.Cart.add", 7.5, 4), bag("shop.Cart.remove", 1, 4, true)]);
    await d.report([bag("shop.Cart.remove", 2, -3)]); // a negative gauge is set, not applied as a delta
    const a = await daemon.waitFor((x) => x.gauges.has("t1.depth.instance.istio-system") && (x.counters.get("t1.calls.shop.Cart.remove.false") ?? 0) >= 1 && x.gauges.get("t1.depth.instance.istio-system") === -3);
    expect(a.counters.get("t1.calls.shop.Cart.add.false")).toBe(3);
    expect(a.counters.get("t1.calls.shop.Cart.remove.true")).toBe(1);
    expect(a.counters.get("t1.calls.shop.Cart.remove.false")).toBe(1);
    expect([...(a.timers.get("t1.latency.shop.Cart.add") ?? [])].sort((x, y) => x - y)).toEqual([3, 5, 7.5]);
    expect([...(a.timers.get("t1.latency.shop.Cart.remove") ?? [])].sort()).toEqual([1, 2]);
    expect(a.gauges.get("t1.depth.instance.istio-system")).toBe(-3);
    await d.close();
  });

  it("should scale sampled counters and timers by 1/rate on the daemon", async () => {
    const { h } = await build({ address: addr(), prefix: "t2", flush_duration: "20ms", flush_bytes: 1432, sampling_rate: 0.25, metrics: { c: { type: "COUNTER" }, t: { type: "DISTRIBUTION" } } }, { c: [], t: [] });
    const n = 2000;
    for (let i = 0; i < n; i += 100) h.handleReport("metric", Array.from({ length: 100 }, (_, k) => (k % 2 ? inst("c", 1n) : inst("t", Duration.fromMillis(10)))));
    await h.close();
    const a = await daemon.waitFor((x) => x.counters.has("t2.c") && x.timerCounts.has("t2.t"), 5000);
    await sleep(400); // a late packet would land in the next flush
    const b = daemon.aggregated();
    const c = b.counters.get("t2.c")!;
    expect(a.counters.get("t2.c")).toBeDefined();
    expect(c % 4).toBe(0); // every sampled increment counts 1 / 0.25 = 4
    expect(c).toBeGreaterThan(1000 * 0.7);
    expect(c).toBeLessThan(1000 * 1.3);
    const raw = b.timers.get("t2.t")!;
    expect(raw.every((v) => v === 10)).toBe(true);
    expect(b.timerCounts.get("t2.t")).toBe(raw.length * 4);
    expect(raw.length).toBeGreaterThan(250 * 0.7);
    expect(raw.length).toBeLessThan(250 * 1.3);
  });

  it("should keep metrics in the buffer until the flush interval and flush them on close()", async () => {
    const { h } = await build({ address: addr(), prefix: "t3", flush_duration: "1h", flush_bytes: 1432, metrics: { c: { type: "COUNTER", name_template: "buffered.{{.k}}" } } }, { c: ["k"] });
    h.handleReport("metric", [inst("c", 2n, { k: "a" }), inst("c", 3n, { k: "a" }), inst("c", 7n, { k: "b" })]);
    await sleep(600); // three daemon flushes: nothing sent yet
    expect(daemon.aggregated().counters.has("t3.buffered.a")).toBe(false);
    await h.close();
    const a = await daemon.waitFor((x) => x.counters.has("t3.buffered.b"));
    expect(a.counters.get("t3.buffered.a")).toBe(5);
    expect(a.counters.get("t3.buffered.b")).toBe(7);
    expect(h.stats).toEqual({ sent: 3, rejected: 0, errors: 0 });
  });

  it("should split packets at flush_bytes", async () => {
    const count = async (prefix: string, flushBytes: number): Promise<number> => {
      const before = daemon.aggregated().counters.get("statsd.packets_received") ?? 0;
      const { h } = await build({ address: addr(), prefix, flush_duration: "1h", flush_bytes: flushBytes, metrics: { c: { type: "COUNTER", name_template: "m{{.i}}" } } }, { c: ["i"] });
      h.handleReport("metric", Array.from({ length: 40 }, (_, i) => inst("c", 1n, { i: String(i).padStart(2, "0") })));
      await h.close();
      const a = await daemon.waitFor((x) => x.counters.get(`${prefix}.m39`) === 1);
      await sleep(250);
      expect(a.counters.get(`${prefix}.m00`)).toBe(1);
      return (daemon.aggregated().counters.get("statsd.packets_received") ?? 0) - before;
    };
    // each line is "t4a.mNN:1|c" = 11 bytes (+1 newline): 40 lines = 479 bytes
    const small = await count("t4a", 100);
    const large = await count("t4b", 1432);
    expect(small).toBeGreaterThanOrEqual(5);
    expect(large).toBe(1);
  });

  it("should send each metric immediately when flush_duration is 0", async () => {
    const { h } = await build({ address: addr(), prefix: "t5", flush_duration: "0s", metrics: { g: { type: "GAUGE" } } }, { g: [] });
    h.handleReport("metric", [inst("g", 42n)]);
    const a = await daemon.waitFor((x) => x.gauges.has("t5.g"));
    expect(a.gauges.get("t5.g")).toBe(42);
    await h.close();
  });

  it("should reject bad values per instance and still send the rest", async () => {
    const { h } = await build({ address: addr(), prefix: "t6", flush_duration: "20ms", metrics: { c: { type: "COUNTER" }, d: { type: "DISTRIBUTION" }, g: { type: "GAUGE" } } }, { c: [], d: [], g: [] });
    expect(() => h.handleReport("metric", [inst("c", "x"), inst("c", 4n), inst("d", true), inst("d", 12.5), inst("d", -1), inst("g", 1.5), inst("nope", 1n)])).toThrow(
      "could not record counter 'c' expected int value, got x; could not record distribution 'd'; expected int or duration, got true; could not record distribution 'd': statsd timings cannot be negative, got -1; no info for metric named nope",
    );
    expect(h.stats.rejected).toBe(4);
    const a = await daemon.waitFor((x) => x.counters.has("t6.c") && x.timers.has("t6.d") && x.gauges.has("t6.g"));
    expect(a.counters.get("t6.c")).toBe(4);
    expect(a.timers.get("t6.d")).toEqual([12.5]);
    expect(a.gauges.get("t6.g")).toBe(1.5);
    await h.close();
  });

  it("should send INT64 distributions as counters with istio_compat", async () => {
    const { h } = await build({ address: addr(), prefix: "t7", flush_duration: "20ms", istio_compat: true, metrics: { d: { type: "DISTRIBUTION" } } }, { d: [] });
    h.handleReport("metric", [inst("d", 5n), inst("d", Duration.fromMillis(1234))]);
    const a = await daemon.waitFor((x) => x.counters.has("t7.d") && x.timers.has("t7.d"));
    expect(a.counters.get("t7.d")).toBe(5);
    expect(a.timers.get("t7.d")).toEqual([1234]);
    await h.close();
  });

  it("should answer the management port with what it aggregated", async () => {
    const { h } = await build({ address: addr(), prefix: "t8", flush_duration: "10ms", metrics: { g: { type: "GAUGE" } } }, { g: [] });
    h.handleReport("metric", [inst("g", 77n)]);
    await daemon.waitFor((x) => x.gauges.has("t8.g"));
    expect(await daemon.command("gauges")).toMatch(/'t8\.g': 77/);
    await h.close();
  });
});

describe("statsd adapter when the server is down", () => {
  it("should not block or fail the dispatcher sending to a closed UDP port", async () => {
    const port = await freeUdpPort(); // nothing listens there
    const d = new Dispatcher({ adapters: ADAPTERS, callTimeoutMs: 200, logSink: NOOP_LOG_SINK });
    const u = await d.applyResources([
      { kind: "handler", metadata: { name: "down" }, spec: { compiledAdapter: "statsd", params: { address: `127.0.0.1:${port}`, flush_duration: "5ms", flush_bytes: 64, metrics: { "c.instance.istio-system": { type: "COUNTER" } } } } },
      { kind: "instance", metadata: { name: "c" }, spec: { compiledTemplate: "metric", params: { value: "1", dimensions: {} } } },
      { kind: "rule", metadata: { name: "r" }, spec: { actions: [{ handler: "down", instances: ["c"] }] } },
    ]);
    expect(u.errors.map(String)).toEqual([]);
    const t0 = Date.now();
    for (let i = 0; i < 50; i++) await d.report([createBag({})]);
    await sleep(50); // let ICMP port-unreachable come back, if the OS reports it
    for (let i = 0; i < 50; i++) await d.report([createBag({})]);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(d.stats).toMatchObject({ dispatches: 100, dispatchErrors: 0 });
    await d.close();
  });

  it("should count (not throw) transport errors for an address that does not resolve", async () => {
    const { h, logs } = await build({ address: "statsd.invalid:8125", flush_duration: "0s", metrics: { c: { type: "COUNTER" } } }, { c: [] });
    for (let i = 0; i < 5; i++) expect(() => h.handleReport("metric", [inst("c", 1n)])).not.toThrow();
    const deadline = Date.now() + 3000;
    while (h.stats.errors < 5 && Date.now() < deadline) await sleep(20);
    expect(h.stats.errors).toBeGreaterThanOrEqual(5);
    expect(logs.filter((l) => l.startsWith("warn statsd send failed"))).toHaveLength(1); // logged once, counted always
    await h.close();
  });
});

describe("statsd config validation", () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "ft-statsd-cfg-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("should locate every problem by file, document, resource and field", async () => {
    const file = join(dir, "statsd.yaml");
    writeFileSync(
      file,
      [
        "kind: instance",
        "metadata: {name: calls}",
        "spec:",
        "  compiledTemplate: metric",
        "  params: {value: '1', dimensions: {fn: span.name}}",
        "---",
        "kind: handler",
        "metadata: {name: sd}",
        "spec:",
        "  compiledAdapter: statsd",
        "  params:",
        "    address: localhost",
        "    sampling_rate: 2",
        "    flushDuration: -1s",
        "    metrics:",
        "      calls.instance.istio-system:",
        "        type: COUNTER",
        "        nameTemplate: '{{if .fn}}x{{end}}'",
        "      other.instance.istio-system:",
        "        type: UNKNOWN",
        "---",
        "kind: rule",
        "metadata: {name: r}",
        "spec: {actions: [{handler: sd, instances: [calls]}]}",
        "",
      ].join("\n"),
    );
    const d = new Dispatcher({ adapters: ADAPTERS });
    const u = await d.loadFiles(file);
    const texts = u.errors.map(String);
    const at = `${file}#2`;
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${escape(at)}:12 handler='sd.handler.istio-system'\\.params\\.address: expected host:port`)),
        expect.stringMatching(new RegExp(`^${escape(at)}:13 handler='sd.handler.istio-system'\\.params\\.sampling_rate: sampling rate must be in \\[0, 1\\], got 2`)),
        expect.stringContaining(`handler='sd.handler.istio-system'.params.flush_duration: expected a duration`),
        expect.stringContaining(
          `handler='sd.handler.istio-system'.params.metrics[calls.instance.istio-system].name_template: failed to parse template "{{if .fn}}x{{end}}": unsupported template action "{{if .fn}}" at column 1: only {{.dimension}} is supported`,
        ),
        expect.stringContaining(`handler='sd.handler.istio-system'.params.metrics[other.instance.istio-system].type: must be COUNTER, GAUGE or DISTRIBUTION`),
      ]),
    );
    expect(texts.filter((t) => t.includes("handler='sd")).every((t) => t.startsWith(at))).toBe(true);
    expect(texts).toContain(`${file}#3:24 rule='r.rule.istio-system'.actions: No valid actions found in rule (its handlers are invalid)`);
    await d.close();
  });

  it("should reject a template naming a dimension the instance does not declare", () => {
    const types = new Map([["metric", new Map([["calls.instance.ns", { value: ValueType.INT64, dimensions: { fn: ValueType.STRING } }]])]]);
    const errors = statsdAdapter.newBuilder().validate({ params: { metrics: { "calls.instance.ns": { type: "COUNTER", name_template: "{{.fn}}.{{.code}}" } } }, types });
    expect(errors.map((e) => `${e.field}: ${e.message}`)).toEqual([
      "metrics[calls.instance.ns].name_template: template refers to dimension 'code' that instance calls.instance.ns does not declare (declared: fn)",
    ]);
  });

  it.each([
    [{ flush_bytes: -1 }, "flush_bytes: flush bytes must be >= 0"],
    [{ sampling_rate: "often" }, 'sampling_rate: expected a number in [0, 1], got "often"'],
    [{ address: "host:99999" }, 'address: expected host:port (e.g. localhost:8125 or [::1]:8125), got "host:99999"'],
    [{ metrics: { m: {} } }, "metrics[m].type: required: COUNTER, GAUGE or DISTRIBUTION"],
    [{ metrics: { m: { type: "COUNTER", name_template: "a{{.b" } } }, 'metrics[m].name_template: failed to parse template "a{{.b": unclosed action "{{.b" at column 2: only {{.dimension}} is supported'],
    [{ metrics: { m: { type: "COUNTER", color: "red" } } }, "metrics[m].color: unknown field (allowed: type, name_template)"],
    [{ port: 1 }, "port: unknown field (allowed: address, prefix, flush_duration, flush_bytes, sampling_rate, metrics, istio_compat)"],
  ])("should reject %j", (params, expected) => {
    const errors = statsdAdapter.newBuilder().validate({ params: { ...(statsdAdapter.defaultConfig as object), ...params }, types: new Map() });
    expect(errors.map((e) => `${e.field}: ${e.message}`)).toEqual([expected]);
  });

  it("should accept an IPv6 address and the defaults", () => {
    expect(statsdAdapter.newBuilder().validate({ params: { ...(statsdAdapter.defaultConfig as object), address: "[::1]:8125" }, types: new Map() })).toEqual([]);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
