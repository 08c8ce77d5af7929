import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configure, ConfigError, flush, shutdown, traced, getExportStats, getExporters } from "../../../src/trace/index.js";
import { MemorySpanExporter } from "../../../src/trace/export/memory-exporter.js";
import type { ExportedSpan, SpanExporter } from "../../../src/trace/export/exported-span.js";
import { resetTracer } from "../../helpers/trace-harness.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

const leaf = traced("t.leaf", (x: number) => x + 1);
const middle = traced("t.middle", (x: number) => leaf(x) * 2);
const boom = traced("t.boom", () => {
  throw new RangeError("bad");
});
const asyncRoot = traced("t.asyncRoot", async () => {
  await sleep(2);
  return middle(1);
});

function byName(spans: readonly ExportedSpan[], name: string): ExportedSpan {
  const found = spans.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no span ${name} in ${spans.map((s) => s.name).join(",")}`);
  return found;
}

describe("export pipeline", () => {
  let memory: MemorySpanExporter;
  const diagnostics: string[] = [];

  beforeEach(() => {
    memory = new MemorySpanExporter();
    resetTracer(diagnostics);
    configure({ exporters: [memory], minDurationMs: 0, include: undefined, exclude: [], maxDepth: undefined, sampleRatio: 1 });
  });
  afterEach(async () => {
    configure({ exporters: false });
    await shutdown();
  });

  it("should export every call with 16-hex span ids that form the call tree", async () => {
    expect(middle(1)).toBe(4);
    await flush();
    const [m, l] = [byName(memory.spans, "t.middle"), byName(memory.spans, "t.leaf")];
    expect(m.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(m.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(l.parentSpanId).toBe(m.spanId);
    expect(l.traceId).toBe(m.traceId);
    expect(m.parentSpanId).toBeUndefined();
    expect(l.depth).toBe(2);
    expect(l.end).toBeGreaterThanOrEqual(l.start);
  });

  it("should give each root flow its own trace and end async spans when the promise settles", async () => {
    middle(1);
    await expect(asyncRoot()).resolves.toBe(4);
    await flush();
    const roots = memory.spans.filter((s) => s.parentSpanId === undefined);
    expect(new Set(roots.map((s) => s.traceId)).size).toBe(2);
    const a = byName(memory.spans, "t.asyncRoot");
    expect(a.async).toBe(true);
    expect(a.end - a.start).toBeGreaterThanOrEqual(1);
  });

  it("should record a throw and pass the very same error through", async () => {
    let caught: unknown;
    try {
      boom();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RangeError);
    await flush();
    const span = byName(memory.spans, "t.boom");
    expect(span.failed).toBe(true);
    expect(span.error).toBe(caught);
  });

  it("should re-parent children of spans shorter than minDurationMs to the nearest exported ancestor", async () => {
    configure({ minDurationMs: 5 });
    const late = traced("t.late", async () => {
      busy(6);
    });
    let done!: Promise<void>;
    const quick = traced("t.quick", async () => {
      done = new Promise((resolve) => setTimeout(() => void late().then(resolve), 1));
    });
    const outer = traced("t.outer", async () => {
      await quick();
      await sleep(15);
      await done;
    });
    await outer();
    await flush();
    expect(memory.spans.map((s) => s.name).sort()).toEqual(["t.late", "t.outer"]);
    expect(byName(memory.spans, "t.late").parentSpanId).toBe(byName(memory.spans, "t.outer").spanId);
  });

  it("should not export calls hidden by filters, and keep their children's parentage", async () => {
    configure({ exclude: ["t.middle"] });
    const top = traced("t.top", () => middle(1));
    top();
    await flush();
    expect(memory.spans.map((s) => s.name).sort()).toEqual(["t.leaf", "t.top"]);
    expect(byName(memory.spans, "t.leaf").parentSpanId).toBe(byName(memory.spans, "t.top").spanId);
  });

  it("should count spans dropped by a full queue and report once, without touching the program", async () => {
    const stalled: SpanExporter = { name: "stalled", export: () => new Promise(() => {}) };
    configure({ exporters: [stalled], batch: { maxQueueSize: 4, maxExportBatchSize: 2, exportTimeoutMillis: 50 } });
    for (let i = 0; i < 20; i++) expect(middle(i)).toBe((i + 1) * 2);
    void flush();
    await sleep(80);
    const [stats] = getExportStats();
    expect(stats.exporter).toBe("stalled");
    expect(stats.dropped).toBeGreaterThan(0);
    expect(diagnostics.filter((d) => d.includes("dropped")).length).toBeLessThanOrEqual(3);
    configure({ batch: { maxQueueSize: 2048, maxExportBatchSize: 512, exportTimeoutMillis: 30000 } });
  });

  it("should count a failing exporter's spans as dropped", async () => {
    const failing: SpanExporter = {
      name: "failing",
      export: () => {
        throw new Error("down");
      },
    };
    configure({ exporters: [failing, memory] });
    middle(1);
    await flush();
    const stats = getExportStats();
    expect(stats.find((s) => s.exporter === "failing")).toMatchObject({ dropped: 2, failedExports: 1 });
    expect(stats.find((s) => s.exporter === "memory")).toMatchObject({ exported: 2, dropped: 0 });
  });

  it("should not trace the export itself", async () => {
    const inner = traced("t.insideExporter", () => 1);
    const tracing: SpanExporter = {
      name: "tracing",
      export: async (spans) => {
        inner();
        await sleep(1);
        inner();
        memory.export(spans);
      },
    };
    configure({ exporters: [tracing] });
    middle(1);
    await flush();
    await flush();
    expect(memory.spans.map((s) => s.name).sort()).toEqual(["t.leaf", "t.middle"]);
  });

  it("should create named exporters and reject bad configuration naming the field", () => {
    configure({ exporters: ["memory"] });
    expect(getExporters()[0]).toBeInstanceOf(MemorySpanExporter);
    expect(() => configure({ exporters: ["zipkn" as never] })).toThrow(/exporters\[0\]: unknown exporter "zipkn"/);
    expect(() => configure({ exporters: [{ type: "zipkin", url: "not a url" }] })).toThrow(ConfigError);
    expect(() => configure({ exporters: [{ type: "zipkin", url: "not a url" }] })).toThrow(/exporters\[0\]\.url/);
    expect(() => configure({ batch: { maxQueueSize: 0 } })).toThrow(/batch\.maxQueueSize/);
  });
});

describe("chrome exporter", () => {
  const file = join(tmpdir(), `functrace-chrome-${process.pid}.json`);
  afterEach(() => rmSync(file, { force: true }));

  it("should write a Trace Event Format file with one track per flow", async () => {
    configure({ exporters: [{ type: "chrome", file }] });
    middle(1);
    await asyncRoot();
    await shutdown();
    configure({ exporters: false });
    const events = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>[];
    const complete = events.filter((e) => e.ph === "X");
    expect(complete.map((e) => e.name).sort()).toEqual(["t.asyncRoot", "t.leaf", "t.leaf", "t.middle", "t.middle"]);
    for (const e of complete) {
      expect(typeof e.ts).toBe("number");
      expect(e.dur as number).toBeGreaterThanOrEqual(0);
      expect(e.pid).toBe(process.pid);
    }
    const tracks = new Set(complete.map((e) => e.tid));
    const names = events.filter((e) => e.ph === "M" && e.name === "thread_name").map((e) => e.tid);
    expect(new Set(names)).toEqual(tracks);
    expect(tracks.size).toBe(2);
  });
});
