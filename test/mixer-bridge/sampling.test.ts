import { configure, flush, shutdown, traced, getExporters } from "../../src/trace/index";
import { BUILTIN_ADAPTERS } from "../../src/mixer/adapters/builtin";
import { MixerSpanExporter } from "../../src/mixer-bridge/index";
import { resetTracer } from "../helpers/trace-harness";
import { recorderConfig, recordingAdapter, type Recorded } from "./recording-adapter";

// Rule sampling keyed on the trace (spec §10.4), through the bridge: `random` keeps or drops
// whole traces (a hash of span.trace_id), `rateLimit` passes the first N per window then 1 in M.
const diagnostics: string[] = [];
const child = traced("svc.child", (x: number) => x * 2);
const root = traced("svc.root", (x: number) => child(x) + child(x + 1));

describe("trace-keyed rule sampling through the bridge", () => {
  let recorded: Recorded;
  beforeEach(() => {
    resetTracer(diagnostics);
    recorded = { instances: [], calls: 0 };
    configure({ minDurationMs: 0, include: undefined, exclude: [], maxDepth: undefined, sampleRatio: 1 });
  });
  afterEach(async () => {
    configure({ exporters: false });
    await shutdown();
  });

  const use = (sampling: unknown, now?: () => number): void =>
    configure({
      exporters: [
        {
          type: "mixer",
          resources: recorderConfig({ trace: "span.trace_id", name: "span.name" }, { sampling }),
          dispatcherOptions: { adapters: [...BUILTIN_ADAPTERS, recordingAdapter(recorded)], sampling: now ? { now } : undefined },
        },
      ],
    });

  it("keeps whole traces together, at the configured ratio, over 10,000 traces", async () => {
    use({ random: { percentSampled: { numerator: 25, denominator: "HUNDRED" } } });
    const TRACES = 10_000;
    for (let chunk = 0; chunk < TRACES; chunk += 1000) {
      for (let i = chunk; i < chunk + 1000; i++) root(i);
      await flush();
    }
    const exporter = getExporters()[0] as MixerSpanExporter;
    expect(exporter.stats.spans).toBe(3 * TRACES);
    const perTrace = new Map<string, string[]>();
    for (const inst of recorded.instances) {
      const d = inst.dimensions as { trace: string; name: string };
      perTrace.set(d.trace, [...(perTrace.get(d.trace) ?? []), d.name]);
    }
    // Every kept trace is complete: its root and both children.
    for (const names of perTrace.values()) expect(names.sort()).toEqual(["svc.child", "svc.child", "svc.root"]);
    const ratio = perTrace.size / TRACES;
    // 25 % of 10,000: the standard deviation is 0.43 %; 2 % is more than 4.5 of them.
    expect(ratio).toBeGreaterThan(0.23);
    expect(ratio).toBeLessThan(0.27);
  });

  it("keeps every trace at 100 % and none at 0 %", async () => {
    use({ random: { percentSampled: { numerator: 0, denominator: "HUNDRED" } } });
    for (let i = 0; i < 100; i++) root(i);
    await flush();
    expect(recorded.instances).toHaveLength(0);
    use({ random: { percentSampled: { numerator: 10000, denominator: "TEN_THOUSAND" } } });
    for (let i = 0; i < 100; i++) root(i);
    await flush();
    expect(recorded.instances).toHaveLength(300);
  });

  it("rate-limits per window: the first maxUnsampledEntries pass, then 1 in samplingRate", async () => {
    let now = 1_000_000;
    use({ rateLimit: { samplingDuration: "1s", maxUnsampledEntries: 5, samplingRate: 10 } }, () => now);
    for (let i = 0; i < 100; i++) child(i); // 100 spans in one window
    await flush();
    expect(recorded.instances).toHaveLength(5 + 9);
    now += 1000; // a new window
    for (let i = 0; i < 3; i++) child(i);
    await flush();
    expect(recorded.instances).toHaveLength(14 + 3);
  });
});
