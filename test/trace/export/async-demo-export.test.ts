import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startReceiver, zipkinSpanValidator, type Receiver } from "./receiver.js";

/*
 * The real thing: the async demo (examples/async-demo.mjs, importing the built package through
 * its self-reference, so the ESM build and its dynamic import of the OpenTelemetry exporters)
 * runs with FUNCTRACE_EXPORTER=zipkin,chrome against a local receiver.
 */
const run = promisify(execFile);
const root = join(__dirname, "../../..");

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  id?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

describe("async demo export", () => {
  let receiver: Receiver;
  let dir: string;
  beforeAll(() => {
    if (!existsSync(join(root, "dist/esm/trace/export/export-pipeline.js"))) throw new Error("dist/ is missing: run `npm run build` first");
  });
  beforeEach(async () => {
    receiver = await startReceiver("accept");
    dir = mkdtempSync(join(tmpdir(), "functrace-demo-"));
  });
  afterEach(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("should send valid Zipkin spans and write one valid Chrome trace file", async () => {
    const env = { ...process.env, FUNCTRACE: "", FUNCTRACE_EXPORTER: "zipkin,chrome", OTEL_EXPORTER_ZIPKIN_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: "async-demo" };
    const { stdout } = await run(process.execPath, [join(root, "examples/async-demo.mjs"), "6"], { cwd: dir, env, timeout: 20_000 });
    expect(stdout).toContain("6 chains done");

    const spans = receiver.bodies.flat() as { id: string; parentId?: string; traceId: string; name: string; duration: number }[];
    const validate = zipkinSpanValidator();
    for (const span of spans) expect(validate(span)).toEqual([]);
    const ids = new Set(spans.map((s) => s.id));
    expect(ids.size).toBe(spans.length);
    const roots = spans.filter((s) => s.parentId === undefined);
    expect(roots.map((s) => s.name)).toEqual(["demo.main"]);
    for (const span of spans) {
      expect(span.traceId).toBe(roots[0].traceId);
      if (span.parentId !== undefined) expect(ids.has(span.parentId)).toBe(true);
    }
    expect(spans.filter((s) => s.name === "demo.handleRequest")).toHaveLength(6);

    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^functrace-\d+\.trace\.json$/);
    const events = JSON.parse(readFileSync(join(dir, files[0]), "utf8")) as TraceEvent[];
    checkTraceEvents(events, spans.length);
  });
});

/** Trace Event Format: required fields, one named track per flow, properly nested slices per track. */
function checkTraceEvents(events: TraceEvent[], spanCount: number): void {
  const complete = events.filter((e) => e.ph === "X");
  expect(complete).toHaveLength(spanCount);
  const pid = events[0].pid;
  for (const e of events) {
    expect(typeof e.name).toBe("string");
    expect(["X", "M", "s", "f"]).toContain(e.ph);
    expect(typeof e.ts).toBe("number");
    expect(e.pid).toBe(pid);
    expect(Number.isInteger(e.tid)).toBe(true);
  }
  for (const e of complete) expect(e.dur).toBeGreaterThanOrEqual(0);
  // Flow arrows: every "s" (in the spawning flow's track) has its "f" (at the new flow's first span), later or at once.
  const starts = events.filter((e) => e.ph === "s");
  const finishes = new Map(events.filter((e) => e.ph === "f").map((e) => [e.id, e]));
  expect(starts.length).toBeGreaterThan(0);
  expect(finishes.size).toBe(starts.length);
  for (const s of starts) {
    const f = finishes.get(s.id)!;
    expect(f).toBeDefined();
    expect(f.tid).not.toBe(s.tid);
    expect(f.ts).toBeGreaterThanOrEqual(s.ts);
    expect(complete.some((x) => x.tid === f.tid && x.ts === f.ts)).toBe(true);
  }
  const named = new Set(events.filter((e) => e.name === "thread_name").map((e) => e.tid));
  const byTrack = new Map<number, TraceEvent[]>();
  for (const e of complete) byTrack.set(e.tid, [...(byTrack.get(e.tid) ?? []), e]);
  expect(new Set(byTrack.keys())).toEqual(named);
  for (const [tid, slices] of byTrack) {
    const sorted = [...slices].sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const open: TraceEvent[] = [];
    for (const slice of sorted) {
      while (open.length > 0 && open[open.length - 1].ts + open[open.length - 1].dur! <= slice.ts) open.pop();
      const top = open[open.length - 1];
      if (top !== undefined && slice.ts + slice.dur! > top.ts + top.dur!) throw new Error(`track ${tid}: ${slice.name} overlaps ${top.name}`);
      open.push(slice);
    }
  }
}
