import { configure, flush, shutdown, traced, getExportStats, getExporters } from "../../src/trace/index";
import { STANDARD_MANIFESTS, createFinder } from "../../src/mixer/attribute/index";
import { BUILTIN_ADAPTERS } from "../../src/mixer/adapters/builtin";
import { parseConfigText } from "../../src/mixer/config/source";
import { buildSnapshot } from "../../src/mixer/config/validate";
import { AdapterRegistry } from "../../src/mixer/adapter/registry";
import { SPAN_VOCABULARY, defaultConfigYaml, MixerSpanExporter, type MixerExporterOptions } from "../../src/mixer-bridge/index";
import { resetTracer } from "../helpers/trace-harness";
import { recorderConfig, recordingAdapter, type Recorded } from "./recording-adapter";

const diagnostics: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const leaf = traced("shop.leaf", (x: number) => x + 1);
const parent = traced("shop.parent", (x: number) => leaf(x) + leaf(x + 1));

function useBridge(recorded: Recorded, options: MixerExporterOptions, hang = false): void {
  configure({ exporters: [{ type: "mixer", ...options, dispatcherOptions: { adapters: [...BUILTIN_ADAPTERS, recordingAdapter(recorded, hang)], ...options.dispatcherOptions } }] });
}

async function bridge(): Promise<MixerSpanExporter> {
  await flush();
  const e = getExporters().find((x) => x.name === "mixer");
  if (!(e instanceof MixerSpanExporter)) throw new Error(`no mixer exporter; diagnostics: ${diagnostics.join("; ")}`);
  return e;
}

describe("span bridge", () => {
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

  it("declares every vocabulary attribute, with its type, in the shipped functrace manifest", () => {
    const finder = createFinder(STANDARD_MANIFESTS);
    for (const a of SPAN_VOCABULARY) expect([a.name, finder.getAttribute(a.name)?.valueType]).toEqual([a.name, a.type]);
  });

  it("ships a default config that validates without a single problem", () => {
    const snapshot = buildSnapshot(parseConfigText(defaultConfigYaml({ metricsAddress: "" }), "default.yaml"), { registry: new AdapterRegistry(BUILTIN_ADAPTERS) });
    expect(snapshot.errors.map(String)).toEqual([]);
    expect(snapshot.rules.map((r) => r.fqn)).toEqual([
      "functrace-calls.rule.istio-system",
      "functrace-http-requests.rule.istio-system",
      "functrace-failed-calls.rule.istio-system",
      "functrace-slow-calls.rule.istio-system",
    ]);
  });

  it("maps each call to one bag with the span's values", async () => {
    useBridge(recorded, {
      resources: recorderConfig({
        name: "span.name",
        kind: "span.kind",
        trace: "span.trace_id",
        id: "span.id",
        parent: "span.parent_id",
        depth: "span.depth",
        error: "span.error",
        protocol: "context.protocol",
        service: "destination.service.name",
        ns: "destination.namespace",
      }),
      serviceName: "shop-service",
    });
    expect(parent(1)).toBe(5);
    await bridge();
    const rows = recorded.instances.map((i) => i.dimensions as Record<string, unknown>);
    expect(rows.map((r) => r.name)).toEqual(["shop.leaf", "shop.leaf", "shop.parent"]);
    const [l1, l2, p] = rows;
    expect(p).toMatchObject({ kind: "internal", parent: "", depth: 1n, error: false, protocol: "function", service: "shop-service", ns: "shop" });
    expect(p.trace).toMatch(/^[0-9a-f]{32}$/);
    expect(p.id).toMatch(/^[0-9a-f]{16}$/);
    for (const l of [l1, l2]) expect(l).toMatchObject({ trace: p.trace, parent: p.id, depth: 2n });
  });

  it("dispatches nothing when no rule matches, and routes every span through the rules", async () => {
    useBridge(recorded, { resources: recorderConfig({ name: "span.name" }, { match: 'span.name == "no.such.function"' }) });
    for (let i = 0; i < 1000; i++) parent(i);
    const exporter = await bridge();
    expect(recorded.calls).toBe(0);
    expect(exporter.dispatcher.stats.dispatches).toBe(0);
    expect(exporter.stats.spans).toBe(3000);
    expect(getExportStats()[0]).toMatchObject({ exporter: "mixer", exported: 3000, dropped: 0 });
  });

  it("reads only what the rules reference: span.name and span.duration never touch the error", async () => {
    let reads = 0;
    const hostile = new Error("x");
    Object.defineProperty(hostile, "message", { get: () => (reads++, "m") });
    Object.defineProperty(hostile, "name", { get: () => (reads++, "E") });
    const fails = traced("shop.fails", () => {
      throw hostile;
    });
    useBridge(recorded, { resources: recorderConfig({ name: "span.name", took: "span.duration" }) });
    let caught = 0;
    for (let i = 0; i < 10; i++) {
      try {
        fails();
      } catch (e) {
        if (e === hostile) caught++;
      }
    }
    const readsByProgram = reads;
    await bridge();
    expect(caught).toBe(10);
    expect(recorded.instances).toHaveLength(10);
    expect(reads - readsByProgram).toBe(0);
  });

  it("gives error type and message only to failed calls, safely", async () => {
    const fails = traced("shop.fails", () => {
      throw new RangeError("out of stock");
    });
    const throwsString = traced("shop.throwsString", () => {
      throw "plain";
    });
    useBridge(recorded, { resources: recorderConfig({ name: "span.name", type: 'span.error_type | "-"', message: 'span.error_message | "-"' }) });
    expect(() => fails()).toThrow(RangeError);
    expect(() => throwsString()).toThrow("plain");
    leaf(1);
    await bridge();
    expect(recorded.instances.map((i) => i.dimensions)).toEqual([
      { name: "shop.fails", type: "RangeError", message: "out of stock" },
      { name: "shop.throwsString", type: "string", message: "plain" },
      { name: "shop.leaf", type: "-", message: "-" },
    ]);
  });

  it("leaves the program alone when an adapter never answers, and counts the drops", async () => {
    useBridge(recorded, { resources: recorderConfig({ name: "span.name" }), callTimeoutMs: 100 }, true);
    const start = performance.now();
    let sum = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 200; i++) sum += parent(i);
      await sleep(30);
    }
    const programMs = performance.now() - start;
    expect(sum).toBe(5 * (2 * 19900 + 3 * 200));
    await flush();
    await sleep(400); // the last handler call times out (100 ms)
    await flush();
    const [stats] = getExportStats();
    expect(recorded.calls).toBeGreaterThan(0);
    expect(stats.exported).toBe(0);
    expect(stats.dropped).toBe(3000);
    expect(stats.failedExports).toBeGreaterThan(0);
    expect(programMs).toBeLessThan(1000);
  });

  it("reports bad options and config problems instead of throwing into the program", async () => {
    configure({ exporters: [{ type: "mixer", maxFunctions: -1 }] });
    expect(parent(1)).toBe(5);
    await flush();
    expect(getExporters()).toEqual([]);
    expect(diagnostics.join("\n")).toContain("mixer.maxFunctions: expected an integer > 0");
  });
});
