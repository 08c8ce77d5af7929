import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { traced, addSink, removeSink } from "../../../src/trace/index.js";
import { RecordWriter } from "../../../src/trace/record/record-writer.js";
import { decodeRecording, readRecordingFile, RecordingError, type RecordedEvent } from "../../../src/trace/record/reader.js";
import { renderChrome, renderOtlpJson, renderTree, renderZipkin, filterEvents } from "../../../src/trace/record/render.js";
import { ROOT, runNode } from "../../helpers/run-node.js";
import * as R from "../../../src/trace/record/format.js";

const tmp = mkdtempSync(join(tmpdir(), "functrace-record-"));
const FIXTURE = join(ROOT, "test/fixtures/record");

function line(e: RecordedEvent): string {
  switch (e.kind) {
    case "enter":
      return `g${e.flowId} ${e.depth} ->${e.site.name}`;
    case "exit":
      return `g${e.flowId} ${e.depth} <-${e.site.name}${e.failed ? ` !${e.error}` : ""}`;
    case "handoff":
      return `g${e.fromFlowId} ~> ${e.moved.map((m) => `g${m.flowId}:${m.site.name}`).join(",")}`;
    case "server":
      return `server ${e.name} ${e.status}`;
  }
}

/** The kinds of record a file holds (walked record by record). */
function recordKinds(file: string): Set<number> {
  const b = readFileSync(file);
  const kinds = new Set<number>();
  for (let p = R.HEADER_SIZE; p < b.length; ) {
    const kind = b.readUInt32LE(p) & 0xff;
    kinds.add(kind);
    if (kind === R.STRING) p += (16 + b.readUInt32LE(p + 8) + 7) & ~7;
    else if (kind === R.HANDOFF) p += R.SIZES[kind] + b.readUInt32LE(p + 12) * R.SIZES[R.MOVED];
    else p += R.SIZES[kind];
  }
  return kinds;
}

/** Records a small program in this process. */
function recordInProcess(file: string): void {
  const writer = new RecordWriter({ file, bufferSize: 64 * 1024, flushIntervalMs: 0 });
  addSink(writer);
  try {
    const leaf = traced("r.leaf", (n: number) => n + 1);
    const bad = traced("r.bad", () => {
      throw new RangeError("too   far");
    });
    const root = traced("r.root", () => {
      let s = 0;
      for (let i = 0; i < 3; i++) s += leaf(i);
      try {
        bad();
      } catch {
        s++;
      }
      return s;
    });
    root();
  } finally {
    removeSink(writer);
    writer.shutdown();
  }
}

describe("binary recording", () => {
  it("should round-trip calls, depths, flows, span ids, times and failures", () => {
    const file = join(tmp, "round.ftrec");
    recordInProcess(file);
    const rec = readRecordingFile(file);
    expect(rec.complete).toBe(true);
    expect(rec.truncated).toBe(false);
    expect(rec.header).toMatchObject({ version: 2, pid: process.pid, timestamps: true });
    const flow = rec.events[0].kind === "enter" ? rec.events[0].flowId : -1;
    expect(rec.events.map(line)).toEqual([
      `g${flow} 1 ->r.root`,
      ...[0, 1, 2].flatMap(() => [`g${flow} 2 ->r.leaf`, `g${flow} 2 <-r.leaf`]),
      `g${flow} 2 ->r.bad`,
      `g${flow} 2 <-r.bad !RangeError: too far`,
      `g${flow} 1 <-r.root`,
    ]);
    const enters = rec.events.filter((e) => e.kind === "enter");
    const root = enters[0];
    expect(enters.slice(1).every((e) => e.kind === "enter" && e.parentSpanId === root.spanId)).toBe(true);
    for (const e of rec.events) if (e.kind === "enter" || e.kind === "exit") expect(e.time).toBeGreaterThan(0);
    expect(rec.flows.get(flow)).toMatchObject({ id: flow, parentId: 0, fromSpanId: 0 });
  });

  it("should keep each call's site when more sites than the cache's ways share a set", () => {
    // Same file, same line, names of the same length: one set of the site cache for all ten,
    // which holds four; calls in turn evict each other's entries.
    const file = join(tmp, "ways.ftrec");
    const writer = new RecordWriter({ file, bufferSize: 64 * 1024, flushIntervalMs: 0 });
    addSink(writer);
    const names = Array.from({ length: 10 }, (_, i) => `ways.f${i}`);
    const fns = names.map((name) => traced(name, (n: number) => n + 1));
    const order = [0, 1, 2, 3, 0, 4, 5, 1, 6, 7, 8, 9, 2, 0, 9, 3, 3, 8];
    try {
      for (const i of order) fns[i](i);
    } finally {
      removeSink(writer);
      writer.shutdown();
    }
    const exits = readRecordingFile(file).events.filter((e) => e.kind === "exit");
    expect(exits.map((e) => e.kind === "exit" && e.site.name)).toEqual(order.map((i) => names[i]));
  });

  it("should record the same calls in two recordings open at once (the second writes every ENTER)", async () => {
    const first = new RecordWriter({ file: join(tmp, "two-a.ftrec"), bufferSize: 64 * 1024, flushIntervalMs: 0 });
    const second = new RecordWriter({ file: join(tmp, "two-b.ftrec"), bufferSize: 64 * 1024, flushIntervalMs: 0 });
    addSink(first);
    addSink(second);
    try {
      const leaf = traced("two.leaf", (n: number) => n + 1);
      const wait = traced("two.wait", async () => {
        await new Promise((r) => setTimeout(r, 1));
        return leaf(1);
      });
      const root = traced("two.root", () => [leaf(0), wait()] as const);
      await root()[1];
    } finally {
      removeSink(first);
      removeSink(second);
      first.shutdown();
      second.shutdown();
    }
    const a = readRecordingFile(join(tmp, "two-a.ftrec"));
    const b = readRecordingFile(join(tmp, "two-b.ftrec"));
    expect(a.events.map(line)).toEqual(b.events.map(line));
    expect(a.events.map(line).filter((l) => l.includes("two."))).toHaveLength(9); // a handoff too
    expect(recordKinds(join(tmp, "two-a.ftrec")).has(R.CALL)).toBe(true);
    expect(recordKinds(join(tmp, "two-b.ftrec")).has(R.CALL)).toBe(false);
  });

  it("should ignore a last record cut short, and say when the END record is missing", () => {
    const file = join(tmp, "cut.ftrec");
    recordInProcess(file);
    const whole = readFileSync(file);
    const all = decodeRecording(whole).events.length;
    let sawTruncated = false;
    let previous = -1;
    for (let cut = 64; cut < whole.length; cut += 4) {
      const rec = decodeRecording(whole.subarray(0, cut));
      expect(rec.complete).toBe(false);
      expect(rec.events.length).toBeGreaterThanOrEqual(previous);
      expect(rec.events.length).toBeLessThanOrEqual(all);
      sawTruncated ||= rec.truncated;
      previous = rec.events.length;
    }
    expect(sawTruncated).toBe(true);
    // cut at the END record: every event is there, the run just was not closed
    const noEnd = decodeRecording(whole.subarray(0, whole.length - 8));
    expect([noEnd.events.length, noEnd.complete, noEnd.truncated]).toEqual([all, false, false]);
    expect(() => decodeRecording(Buffer.from("g[01]:    ->main.main\n"))).toThrow(RecordingError);
  });

  it("should leave a readable recording when the process is killed by SIGINT", async () => {
    const file = join(tmp, "signal-%p.ftrec");
    const child = spawn(process.execPath, [join(FIXTURE, "program.mjs"), "--signal"], {
      cwd: ROOT,
      env: { ...process.env, FUNCTRACE: "record", FUNCTRACE_RECORD_FILE: file, FUNCTRACE_OUTPUT: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d) => String(d).includes("ready") && resolve());
      child.on("exit", () => reject(new Error(`child ended early: ${stderr}`)));
    });
    await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGINT");
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on("exit", (c, s) => resolve([c, s])));
    expect([code, signal]).toEqual([null, "SIGINT"]);
    const written = file.replace("%p", String(child.pid));
    expect(existsSync(written)).toBe(true);
    const rec = readRecordingFile(written);
    expect(rec.complete).toBe(false);
    const names = new Set(rec.events.flatMap((e) => (e.kind === "enter" ? [e.site.name] : [])));
    expect(names).toContain("rec.main");
    expect(names).toContain("rec.spin");
    expect(stderr).toBe("");
  });

  it("should show the calls still open when the process is killed with SIGKILL", async () => {
    const file = join(tmp, "crash.ftrec");
    const child = spawn(process.execPath, [join(FIXTURE, "crash.mjs"), file], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d) => String(d).includes("ready") && resolve());
      child.on("exit", () => reject(new Error(`child ended early: ${stderr}`)));
    });
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("exit", resolve));
    const rec = readRecordingFile(file);
    expect(rec.complete).toBe(false);
    const enters = rec.events.filter((e) => e.kind === "enter");
    const exits = new Set(rec.events.flatMap((e) => (e.kind === "exit" ? [e.spanId] : [])));
    const open = enters.filter((e) => !exits.has(e.spanId)).map((e) => `${e.depth} ${e.site.name}`);
    // the async call suspended long before; the sync chain had its ENTERs written at the hand-over
    expect(open).toEqual(["1 crash.waiting", "1 crash.outer", "2 crash.middle"]);
    const leaves = rec.events.filter((e) => e.kind === "exit" && e.site.name === "crash.leaf");
    expect(leaves.length).toBeGreaterThan(5000);
    expect(leaves.every((e) => e.kind === "exit" && e.depth === 3)).toBe(true);
    // every leaf's start comes after its callers' and before its own end
    const order = rec.events.map((e) => (e.kind === "enter" ? `+${e.spanId}` : e.kind === "exit" ? `-${e.spanId}` : ""));
    const middleAt = order.indexOf(`+${enters.find((e) => e.site.name === "crash.middle")!.spanId}`);
    const firstLeaf = enters.find((e) => e.site.name === "crash.leaf")!;
    expect(middleAt).toBeLessThan(order.indexOf(`+${firstLeaf.spanId}`));
    expect(order.indexOf(`+${firstLeaf.spanId}`)).toBeLessThan(order.indexOf(`-${firstLeaf.spanId}`));
    expect(stderr).toBe("");
  });

  describe("rendered like the live printer, byte for byte", () => {
    const cases: [string, string[], Record<string, string>][] = [
      ["handoffs, exceptions, origins, a request", [join(FIXTURE, "program.mjs")], {}],
      ["the async demo", [join(ROOT, "examples/async-demo.mjs"), "12"], {}],
      ["with durations", [join(FIXTURE, "program.mjs")], { FUNCTRACE_DURATIONS: "on" }],
    ];
    it.each(cases)("%s", async (_title, program, env) => {
      const live = join(tmp, `live-${Object.keys(env).length}-${program.length}.txt`);
      const file = join(tmp, `same-run-${Object.keys(env).length}-${program.length}.ftrec`);
      const r = runNode([join(FIXTURE, "both.mjs"), file, ...program], { FUNCTRACE: "on", FUNCTRACE_OUTPUT: live, ...env });
      expect(r.stderr).toBe("");
      const rec = readRecordingFile(file);
      expect(rec.complete).toBe(true);
      const out = join(tmp, `rendered-${Object.keys(env).length}-${program.length}.txt`);
      await renderTree(rec, { output: out, durations: env.FUNCTRACE_DURATIONS === "on" });
      const expected = readFileSync(live);
      expect(expected.length).toBeGreaterThan(500);
      expect(readFileSync(out).equals(expected)).toBe(true);
      if (program[0].endsWith("program.mjs")) {
        const text = expected.toString();
        for (const mark of [" ~> g[", " <~ g[", " !TypeError", "[GET /items/3 "]) expect(text).toContain(mark);
      }
    });

    it("should print the same bytes from the functrace CLI", () => {
      const live = join(tmp, "cli-live.txt");
      const file = join(tmp, "cli.ftrec");
      runNode([join(FIXTURE, "both.mjs"), file, join(FIXTURE, "program.mjs")], { FUNCTRACE: "on", FUNCTRACE_OUTPUT: live });
      const r = runNode([join(ROOT, "bin/functrace.js"), "render", file, "--format", "tree"]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(readFileSync(live, "utf8"));
      const chrome = runNode([join(ROOT, "bin/functrace.js"), "render", file, "--format", "chrome", "--function", "rec.handler"]);
      const events = JSON.parse(chrome.stdout) as { ph: string; name: string }[];
      expect(events.filter((e) => e.ph === "X").map((e) => e.name).sort()).toEqual(["GET /items/3", "rec.handler", "rec.render"]);
    });
  });

  it("should render Chrome, Zipkin and OTLP JSON, with filters", async () => {
    const file = join(tmp, "formats.ftrec");
    const r = runNode([join(FIXTURE, "both.mjs"), file, join(FIXTURE, "program.mjs")]);
    expect(r.stderr).toBe("");
    const rec = readRecordingFile(file);
    const chrome = JSON.parse(renderChrome(rec)) as { ph: string; name: string; tid: number; args?: Record<string, unknown> }[];
    const complete = chrome.filter((e) => e.ph === "X");
    expect(complete.map((e) => e.name)).toContain("rec.main");
    expect(complete.find((e) => e.name === "rec.boom")?.args?.error).toBe("TypeError: bad input second line");
    expect(chrome.filter((e) => e.ph === "s")).not.toHaveLength(0);
    const zipkin = JSON.parse(renderZipkin(rec, {}, "svc")) as { traceId: string; id: string; parentId?: string; name: string; kind?: string; tags: Record<string, string> }[];
    const byName = new Map(zipkin.map((s) => [s.name, s]));
    expect(byName.get("rec.leaf")).toBeUndefined();
    expect(byName.get("rec.boom")?.parentId).toBe(byName.get("rec.main")?.id);
    const server = zipkin.find((s) => s.kind === "SERVER");
    expect(server).toBeDefined();
    expect(byName.get("rec.handler")?.parentId).toBe(server?.id);
    expect(byName.get("rec.handler")?.traceId).toBe(server?.traceId);
    const otlp = JSON.parse(renderOtlpJson(rec)) as { resourceSpans: { scopeSpans: { spans: { name: string; status: { code?: number } }[] }[] }[] };
    const spans = otlp.resourceSpans[0].scopeSpans[0].spans;
    expect(spans.length).toBe(zipkin.length);
    expect(spans.find((s) => s.name === "rec.rejects")?.status.code).toBe(2);
    // filters: by request, by flow, by function, by time window
    const names = (filter: Parameters<typeof filterEvents>[1]): string[] => [
      ...new Set(filterEvents(rec, filter).flatMap((e) => (e.kind === "enter" ? [e.site.name] : []))),
    ];
    expect(names({ requests: ["GET /items"] })).toEqual(["rec.handler", "rec.render"]);
    expect(names({ functions: ["rec.grand*"] })).toEqual(["rec.parentOfTwo", "rec.grandchild"]);
    const mainFlow = rec.events[0].kind === "enter" ? rec.events[0].flowId : 0;
    expect(names({ flows: [mainFlow] })).toContain("rec.boom");
    expect(names({ flows: [mainFlow] })).not.toContain("rec.handler");
    const boom = rec.events.find((e) => e.kind === "enter" && e.site.name === "rec.boom");
    const at = boom?.kind === "enter" ? boom.time : 0;
    expect(names({ from: at, to: at })).toEqual(["rec.main", "rec.boom"]);
    const out = join(tmp, "filtered.txt");
    await renderTree(rec, { output: out }, { requests: ["/items/3"] });
    expect(readFileSync(out, "utf8")).toMatch(/^g\[\d+\]:    ->rec\.handler \[GET \/items\/3 [0-9a-f]{8}\] <~ g\[\d+\] rec\.main\n/);
  });

  it("should report a file that is not a recording from the CLI", () => {
    const file = join(tmp, "not.ftrec");
    writeFileSync(file, "hello\n");
    const r = runNode([join(ROOT, "bin/functrace.js"), "render", file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("not a functrace recording");
  });
});
