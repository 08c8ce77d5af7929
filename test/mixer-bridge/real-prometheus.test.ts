import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { freePort } from "../mixer/adapters/prometheus/free-port";
import { eventually, startPrometheus, type RunningPrometheus } from "../mixer/adapters/prometheus/prometheus-server";
import { CALL_DURATION_BUCKETS } from "../../src/mixer-bridge/default-config";
import { privateBuild } from "./private-build";

// End to end, the one-line way: a traced program run with FUNCTRACE_EXPORTER=mixer (the bridge
// loaded lazily as the installed package, its shipped default config) is scraped by the real
// Prometheus server; the series read back through Prometheus's query API must equal the calls
// the program made.
jest.setTimeout(60_000);

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
interface ProgramReport {
  calls: Record<string, { calls: number; errors: number }>;
  stats: { exporter: string; exported: number; dropped: number }[];
}

describe("span bridge scraped by the real Prometheus server", () => {
  let dir: string;
  let prom: RunningPrometheus | undefined;
  let child: ChildProcess | undefined;
  let stderr = "";

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ft-bridge-prom-"));
  });
  afterAll(async () => {
    child?.stdin?.end();
    if (child && child.exitCode === null) await new Promise((r) => child!.once("exit", r));
    await prom?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const query = async (q: string): Promise<Sample[]> => ((await prom!.api("query", { query: q })) as { result: Sample[] }).result;
  const byLabels = async (q: string, ...labels: string[]): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const s of await query(q)) out[labels.map((l) => s.metric[l]).join(",")] = Number(s.value[1]);
    return out;
  };

  it("holds call counts, error counts and histogram counts equal to what the program did", async () => {
    const { program, env } = privateBuild(dir, "test/mixer-bridge/fixtures/traced-program.ts");
    const [metricsPort, promPort] = [await freePort(), await freePort()];
    child = spawn(process.execPath, [program], {
      cwd: dir,
      env: { ...process.env, ...env, FUNCTRACE: "", FUNCTRACE_OUTPUT: "", FUNCTRACE_EXPORTER: "mixer", FUNCTRACE_MIXER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`, FUNCTRACE_MIXER_SLOW_MS: "60000", OTEL_SERVICE_NAME: "orders" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).once("line", resolve);
      child!.once("exit", (code) => reject(new Error(`program exited with ${code}:\n${stderr}`)));
    });
    const report = JSON.parse(firstLine) as ProgramReport;
    const spans = Object.values(report.calls).reduce((n, c) => n + c.calls, 0);
    expect(report.stats).toEqual([{ exporter: "mixer", exported: spans, dropped: 0, failedExports: 0 }]);

    prom = await startPrometheus(
      dir,
      promPort,
      `global: {scrape_interval: 1s, scrape_timeout: 900ms, evaluation_interval: 1s}
scrape_configs:
  - job_name: orders
    static_configs: [{targets: ["127.0.0.1:${metricsPort}"]}]
`,
      ["--enable-feature=exemplar-storage"],
    );
    const handled = report.calls["orders.handle"].calls;
    expect(await eventually(async () => (await byLabels("functrace_calls_total", "function", "outcome"))["orders.handle,ok"] === handled, 20_000)).toBe(true);

    // Calls per function and outcome: exactly the program's.
    const expected: Record<string, number> = {};
    for (const [fn, c] of Object.entries(report.calls)) {
      if (c.calls - c.errors > 0) expected[`${fn},ok`] = c.calls - c.errors;
      if (c.errors > 0) expected[`${fn},error`] = c.errors;
    }
    expect(await byLabels("functrace_calls_total", "function", "outcome")).toEqual(expected);
    expect(expected["orders.validate,error"]).toBe(72);
    expect(expected["orders.load,error"]).toBe(10);

    // The duration histogram: one count per call, cumulative buckets ending at the count.
    const counts = await byLabels("functrace_call_duration_seconds_count", "function");
    expect(counts).toEqual(Object.fromEntries(Object.entries(report.calls).map(([fn, c]) => [fn, c.calls])));
    const buckets = await query("functrace_call_duration_seconds_bucket");
    for (const fn of Object.keys(report.calls)) {
      const mine = buckets.filter((s) => s.metric.function === fn).map((s) => [s.metric.le === "+Inf" ? Infinity : Number(s.metric.le), Number(s.value[1])] as const);
      mine.sort((a, b) => a[0] - b[0]);
      expect(mine.map(([le]) => le)).toEqual([...CALL_DURATION_BUCKETS, Infinity]);
      for (let i = 1; i < mine.length; i++) expect(mine[i][1]).toBeGreaterThanOrEqual(mine[i - 1][1]);
      expect(mine[mine.length - 1][1]).toBe(report.calls[fn].calls);
    }
    const sums = await byLabels("functrace_call_duration_seconds_sum", "function");
    for (const fn of Object.keys(report.calls)) expect(sums[fn]).toBeGreaterThan(0);

    // Exemplars: buckets carry the trace id of a recent call.
    const now = Date.now() / 1000;
    const ex = (await prom.api("query_exemplars", { query: "functrace_call_duration_seconds_bucket", start: String(now - 120), end: String(now + 5) })) as {
      seriesLabels: Record<string, string>;
      exemplars: { labels: Record<string, string> }[];
    }[];
    const traceIds = ex.flatMap((e) => e.exemplars.map((x) => x.labels.trace_id));
    expect(traceIds.length).toBeGreaterThan(0);
    for (const id of traceIds) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ex.map((e) => e.seriesLabels.function))).toEqual(new Set(Object.keys(report.calls)));

    // One error log line (stdio, stderr) per failed call.
    const failedLines = stderr.split("\n").filter((l) => l.includes('"call failed"'));
    expect(failedLines).toHaveLength(82);
    expect(JSON.parse(failedLines[0])).toMatchObject({ level: "error", instance: "functrace-failed-call.instance.istio-system", function: "orders.validate", error_type: "RangeError", error_message: "order 0 is invalid" });
  });
});
