import { configure, flush, shutdown, traced, getExporters, MemorySpanExporter } from "../../src/trace/index";
import { Variety } from "../../src/mixer/template/types";
import type { PrometheusHandler } from "../../src/mixer/adapters/prometheus/handler";
import { MixerSpanExporter, OVERFLOW_NAME } from "../../src/mixer-bridge/index";
import { resetTracer } from "../helpers/trace-harness";

// The shipped default config, in process: bounded cardinality, exemplars, the slow-call log.
const diagnostics: string[] = [];

function exposition(exporter: MixerSpanExporter): Promise<string> {
  const dest = exporter.dispatcher.routingTable.all(Variety.REPORT).find((d) => d.adapterName === "prometheus");
  if (dest === undefined) throw new Error("no prometheus destination");
  return (dest.handler as PrometheusHandler).metrics();
}

/** `name{labels} value` lines of one metric, as [labels, value]. */
function samples(text: string, name: string): [Record<string, string>, number][] {
  const out: [Record<string, string>, number][] = [];
  for (const line of text.split("\n")) {
    const m = new RegExp(`^${name}\\{([^}]*)\\} (\\S+)`).exec(line);
    if (m === null) continue;
    const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    out.push([labels, Number(m[2])]);
  }
  return out;
}

async function bridge(): Promise<MixerSpanExporter> {
  await flush();
  const e = getExporters().find((x) => x instanceof MixerSpanExporter);
  if (e === undefined) throw new Error(`no mixer exporter: ${diagnostics.join("; ")}`);
  return e as MixerSpanExporter;
}

describe("the default config", () => {
  beforeEach(() => {
    resetTracer(diagnostics);
    configure({ minDurationMs: 0, include: undefined, exclude: [], maxDepth: undefined, sampleRatio: 1 });
  });
  afterEach(async () => {
    configure({ exporters: false });
    await shutdown();
  });

  it("bounds cardinality with 10,000 functions: the excess shares one overflow series, counted", async () => {
    configure({ exporters: [{ type: "mixer", metricsAddress: "", maxFunctions: 100 }] });
    const fns = Array.from({ length: 10_000 }, (_, i) => traced(`gen.f${i}`, () => i));
    for (let chunk = 0; chunk < fns.length; chunk += 2000) {
      for (let i = chunk; i < chunk + 2000; i++) fns[i]();
      await flush();
    }
    const exporter = await bridge();
    const text = await exposition(exporter);
    const calls = samples(text, "functrace_calls_total");
    const functions = new Set(calls.map(([l]) => l.function));
    expect(functions.size).toBe(101);
    expect(functions.has(OVERFLOW_NAME)).toBe(true);
    expect(calls.find(([l]) => l.function === OVERFLOW_NAME)![1]).toBe(9900);
    expect(calls.reduce((n, [, v]) => n + v, 0)).toBe(10_000);
    expect(new Set(samples(text, "functrace_call_duration_seconds_count").map(([l]) => l.function)).size).toBe(101);
    expect(exporter.stats).toMatchObject({ overflowed: 9900, functions: 100, spans: 10_000 });
    expect(diagnostics.filter((d) => d.includes("distinct functions"))).toHaveLength(1);
  });

  it("puts the trace id of a recent call on the duration histogram's buckets (OpenMetrics exemplars)", async () => {
    const memory = new MemorySpanExporter();
    configure({ exporters: [memory, { type: "mixer", metricsAddress: "" }] });
    const quick = traced("ex.quick", (x: number) => x + 1);
    const slower = traced("ex.slower", () => {
      const until = performance.now() + 2;
      while (performance.now() < until);
    });
    for (let i = 0; i < 20; i++) quick(i);
    slower();
    const exporter = await bridge();
    const text = await exposition(exporter);
    const traces = new Set(memory.spans.map((s) => s.traceId));
    const bucketLines = text.split("\n").filter((l) => l.startsWith("functrace_call_duration_seconds_bucket{"));
    const withExemplar = bucketLines.filter((l) => l.includes(" # {trace_id="));
    expect(withExemplar.length).toBeGreaterThan(0);
    for (const line of withExemplar) {
      const id = /# \{trace_id="([0-9a-f]{32})"\}/.exec(line)![1];
      expect(traces.has(id)).toBe(true);
    }
    const slowTrace = memory.spans.find((s) => s.name === "ex.slower")!.traceId;
    expect(withExemplar.some((l) => l.includes('function="ex.slower"') && l.includes(slowTrace))).toBe(true);
    expect(text.endsWith("# EOF\n")).toBe(true);
  });

  it("logs failed calls and calls slower than the threshold on stderr, one JSON line each", async () => {
    const lines: string[] = [];
    const write = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split("\n").filter((l) => l.startsWith("{")));
      return true;
    });
    try {
      configure({ exporters: [{ type: "mixer", metricsAddress: "", slowCallMs: 5 }] });
      const slow = traced("log.slow", () => {
        const until = performance.now() + 8;
        while (performance.now() < until);
      });
      const fast = traced("log.fast", () => 1);
      const fails = traced("log.fails", () => {
        throw new TypeError("no");
      });
      slow();
      fast();
      expect(() => fails()).toThrow(TypeError);
      await bridge();
    } finally {
      write.mockRestore();
    }
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.map((e) => [e.level, e.message, e.function])).toEqual([
      ["warn", "slow call", "log.slow"],
      ["error", "call failed", "log.fails"],
    ]);
    expect(entries[0].trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(entries[1]).toMatchObject({ error_type: "TypeError", error_message: "no" });
  });
});
