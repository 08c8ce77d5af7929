import { createServer, type Server } from "node:net";
import { newPrometheusBuilder, prometheusAdapter } from "../../../../src/mixer/adapters/index";
import type { PrometheusHandler } from "../../../../src/mixer/adapters/prometheus/handler";
import { HandlerEnv, createLogger, NOOP_LOG_SINK } from "../../../../src/mixer/adapter/index";
import { freePort } from "./free-port";

const M = "calls.instance.istio-system";
const metrics = [{ instance_name: M, name: "calls_total", kind: "COUNTER", label_names: ["fn"] }];

async function build(params: Record<string, unknown>, name = "prom.handler.istio-system"): Promise<{ h: PrometheusHandler; env: HandlerEnv }> {
  const env = new HandlerEnv(createLogger(NOOP_LOG_SINK, name), name);
  const input = { params: { ...(prometheusAdapter.defaultConfig as object), metrics, ...params }, types: new Map() };
  expect(prometheusAdapter.newBuilder().validate(input)).toEqual([]);
  const h = (await prometheusAdapter.newBuilder().build(input, env)) as PrometheusHandler;
  return { h, env };
}

async function closeAll(...xs: { h: PrometheusHandler; env: HandlerEnv }[]): Promise<void> {
  for (const x of xs) {
    await x.h.close();
    await x.env.shutdown();
  }
}

const get = (address: string, path = "/metrics", init?: RequestInit) => fetch(`http://${address}${path}`, init);

describe("prometheus exposition endpoint", () => {
  it("should serve /metrics on the configured loopback address and stop on close", async () => {
    const a = await build({ address: "127.0.0.1:0" });
    expect(a.h.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    a.h.handleReport("metric", [{ name: M, value: 2n, dimensions: { fn: "f" } }]);
    const res = await get(a.h.endpoint!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const body = await res.text();
    expect(body).toBe(await a.h.metrics());
    expect(body).toContain('istio_calls_total{fn="f"} 2');
    expect((await get(a.h.endpoint!, "/")).status).toBe(404);
    expect((await get(a.h.endpoint!, "/metrics", { method: "POST" })).status).toBe(405);
    const endpoint = a.h.endpoint!;
    await closeAll(a);
    await expect(get(endpoint)).rejects.toThrow();
  });

  it("should hand the port over to the rebuilt handler of a config reload and serve handlers side by side", async () => {
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const old = await build({ address });
    old.h.handleReport("metric", [{ name: M, value: 1n, dimensions: { fn: "old" } }]);
    const next = await build({ address }); // same handler name, built before the old one is closed
    next.h.handleReport("metric", [{ name: M, value: 5n, dimensions: { fn: "new" } }]);
    const other = await build({ address, metrics: [{ instance_name: "x.instance.istio-system", name: "x_total", kind: "COUNTER" }] }, "other.handler.istio-system");
    other.h.handleReport("metric", [{ name: "x.instance.istio-system", value: 1n, dimensions: {} }]);
    let body = await (await get(address)).text();
    expect(body).toContain('istio_calls_total{fn="new"} 5');
    expect(body).not.toContain('fn="old"');
    expect(body).toContain("istio_x_total 1");
    await closeAll(old);
    body = await (await get(address)).text();
    expect(body).toContain('istio_calls_total{fn="new"} 5');
    await closeAll(next, other);
    await expect(get(address)).rejects.toThrow();
    // The port is free again.
    const s: Server = createServer();
    await new Promise<void>((resolve, reject) => s.once("error", reject).listen(port, "127.0.0.1", () => resolve()));
    await new Promise((r) => s.close(r));
  });

  it("should fail the build with the address when the port is taken by someone else", async () => {
    const s: Server = createServer();
    await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", () => resolve()));
    const port = (s.address() as { port: number }).port;
    try {
      await expect(build({ address: `127.0.0.1:${port}` })).rejects.toThrow(`could not start the prometheus exposition server on 127.0.0.1:${port}: listen EADDRINUSE`);
    } finally {
      await new Promise((r) => s.close(r));
    }
  });

  it("should serve OpenMetrics with one # EOF when that format is configured", async () => {
    const a = await build({ address: "127.0.0.1:0", exposition_format: "OPENMETRICS" });
    try {
      a.h.handleReport("metric", [{ name: M, value: 1n, dimensions: { fn: "f" } }]);
      const res = await get(a.h.endpoint!);
      expect(res.headers.get("content-type")).toBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
      const body = await res.text();
      expect(body.match(/# EOF/g)).toHaveLength(1);
      expect(body.endsWith("# EOF\n")).toBe(true);
    } finally {
      await closeAll(a);
    }
  });

  it("should run the expiry sweep on the handler's interval and stop it on close", async () => {
    const a = await build({ address: "", metrics_expiration_policy: { metrics_expiry_duration: "20ms", expiry_check_interval_duration: "10ms" } });
    a.h.handleReport("metric", [{ name: M, value: 1n, dimensions: { fn: "f" } }]);
    expect(a.h.trackedSeries).toBe(1);
    await new Promise((r) => setTimeout(r, 120));
    expect(a.h.trackedSeries).toBe(0);
    expect(a.h.stats.expired).toBe(1);
    await closeAll(a);
  });

  it("should give built handlers the clock injected into the builder", async () => {
    let now = 0;
    const env = new HandlerEnv(createLogger(NOOP_LOG_SINK, "p"), "p.handler.istio-system");
    const params = { ...(prometheusAdapter.defaultConfig as object), address: "", metrics, metrics_expiration_policy: { metrics_expiry_duration: "1h" } };
    const h = (await newPrometheusBuilder({ now: () => now }).build({ params, types: new Map() }, env)) as PrometheusHandler;
    h.handleReport("metric", [{ name: M, value: 1n, dimensions: { fn: "f" } }]);
    now = 3_599_999;
    expect(h.sweepExpired()).toBe(0);
    now = 3_600_000;
    expect(h.sweepExpired()).toBe(1);
    await h.close();
    await env.shutdown();
  });
});
