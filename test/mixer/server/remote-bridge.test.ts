import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { protoDir } from "../../../src/mixer/server/protos";
import { startMixerServer, type MixerServer } from "../../../src/mixer/server/server";
import { privateBuild } from "../../mixer-bridge/private-build";
import { freePort, sample, scrape } from "./helpers";

const TOKEN = "remote-mode-token-0123456789";

const CONFIG = (prom: string) => `kind: handler
metadata: {name: prom}
spec:
  compiledAdapter: prometheus
  params:
    address: "${prom}"
    metrics:
      - instanceName: calls.instance.istio-system
        namespace: functrace
        name: calls_total
        kind: COUNTER
        labelNames: [function, outcome, service]
---
kind: instance
metadata: {name: calls}
spec:
  compiledTemplate: metric
  params:
    value: "1"
    dimensions:
      function: span.bounded_name
      outcome: conditionalString(span.error, "error", "ok")
      service: destination.service.name
---
kind: rule
metadata: {name: calls}
spec:
  match: context.protocol == "function"
  actions: [{handler: prom, instances: [calls]}]
`;

/** Runs the fixture program; resolves with its JSON line. */
function run(program: string, env: Record<string, string>): Promise<{ stats: { exporter: string; exported: number; dropped: number }[]; remote: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [program], { env: { ...process.env, FUNCTRACE: "", FUNCTRACE_OUTPUT: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.on("exit", (code) => (code === 0 && out.trim() ? resolve(JSON.parse(out.trim().split("\n").pop()!)) : reject(new Error(`exit ${code}: ${out}\n${err}`))));
  });
}

describe("span bridge remote mode: traced processes feed one functrace-mixer serve", () => {
  let server: MixerServer;
  let prom: string;
  let program: string;
  let buildEnv: Record<string, string>;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "mixer-remote-"));
    prom = `127.0.0.1:${await freePort()}`;
    writeFileSync(join(dir, "config.yaml"), CONFIG(prom));
    server = await startMixerServer({ config: dir, address: "127.0.0.1:0", token: TOKEN, metricsAddress: "", watch: false });
    ({ program, env: buildEnv } = privateBuild(join(dir, "build"), "test/mixer/server/fixtures/remote-program.ts"));
    // The bundled bridge finds the .proto files next to itself.
    cpSync(protoDir(), join(dir, "build", "node_modules", "functrace", "proto"), { recursive: true });
  }, 60_000);
  afterAll(async () => server?.close());

  it("adds up the calls of two processes (one configured in code, one by environment)", async () => {
    const [a, b] = await Promise.all([
      run(program, { ...buildEnv, USE_CONFIGURE: "1", REMOTE: server.address, TOKEN, CALLS: "400", OTEL_SERVICE_NAME: "shop-a" }),
      run(program, { ...buildEnv, FUNCTRACE_EXPORTER: "mixer", FUNCTRACE_MIXER_REMOTE: server.address, FUNCTRACE_MIXER_TOKEN: TOKEN, CALLS: "600", OTEL_SERVICE_NAME: "shop-b" }),
    ]);
    expect(a.stats).toEqual([expect.objectContaining({ exporter: "mixer", exported: 800, dropped: 0 })]);
    expect(b.stats).toEqual([expect.objectContaining({ exporter: "mixer", exported: 1200, dropped: 0 })]);
    expect(a.remote).toMatchObject({ spans: 800, failed: 0, serverErrors: 0 });
    const text = await scrape(prom);
    const total = (fn: string, outcome: string) =>
      (sample(text, `functrace_calls_total{function="${fn}",outcome="${outcome}",service="shop-a"}`) ?? 0) + (sample(text, `functrace_calls_total{function="${fn}",outcome="${outcome}",service="shop-b"}`) ?? 0);
    expect(total("shop.buy", "ok")).toBe(1000);
    expect(total("shop.check", "error")).toBe(100 + 150);
    expect(total("shop.check", "ok")).toBe(300 + 450);
    expect(sample(text, 'functrace_calls_total{function="shop.buy",outcome="ok",service="shop-a"}')).toBe(400);
  });

  it("counts the spans as dropped when the token is wrong (and the server dispatches nothing)", async () => {
    const before = await scrape(prom);
    const r = await run(program, { ...buildEnv, FUNCTRACE_EXPORTER: "mixer", FUNCTRACE_MIXER_REMOTE: server.address, FUNCTRACE_MIXER_TOKEN: "not-the-token-at-all", CALLS: "10", OTEL_SERVICE_NAME: "intruder" });
    expect(r.stats).toEqual([expect.objectContaining({ exporter: "mixer", exported: 0, dropped: 20 })]);
    expect((await scrape(prom)).includes('service="intruder"')).toBe(false);
    expect(before).not.toContain("intruder");
  });

  it("retries with backoff while the server is down, then counts what it could not deliver as dropped", async () => {
    const port = await freePort(); // nothing listens here
    const started = Date.now();
    const r = await run(program, { ...buildEnv, FUNCTRACE_EXPORTER: "mixer", FUNCTRACE_MIXER_REMOTE: `127.0.0.1:${port}`, CALLS: "5" });
    expect(r.stats).toEqual([expect.objectContaining({ exporter: "mixer", exported: 0, dropped: 10 })]);
    expect(r.remote.retries).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);
});
