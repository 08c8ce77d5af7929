import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as fs from "node:fs";
import { TreePrinter, formatDuration } from "../../src/trace/sinks/tree-printer.js";
import { addSink, removeSink, traced } from "../../src/trace/index.js";
import { FAILED, Flow, Frame } from "../../src/trace/frame.js";
import { LineBodies, MAX_CACHED_DEPTH, writeBody } from "../../src/trace/sinks/line-bodies.js";
import { runNode } from "../helpers/run-node.js";

const tmp = mkdtempSync(join(tmpdir(), "functrace-printer-"));

describe("TreePrinter", () => {
  it("should print the Go format to a file, buffered into few writes", () => {
    const file = join(tmp, "a.log");
    const printer = new TreePrinter({ output: file });
    addSink(printer);
    try {
      const inner = traced("p.inner", () => 1);
      const outer = traced("p.outer", () => inner() + inner());
      for (let i = 0; i < 200; i++) outer();
      // 1,200 lines so far and not one written yet: no syscall per line.
      expect(fs.statSync(file).size).toBe(0);
    } finally {
      removeSink(printer);
      printer.shutdown();
    }
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines).toHaveLength(200 * 6);
    expect(lines.slice(0, 6).map((l) => l.replace(/g\[\d+\]/, "g[NN]"))).toEqual([
      "g[NN]:    ->p.outer",
      "g[NN]:        ->p.inner",
      "g[NN]:        <-p.inner",
      "g[NN]:        ->p.inner",
      "g[NN]:        <-p.inner",
      "g[NN]:    <-p.outer",
    ]);
  });

  it("should append durations and prefix timestamps when asked, without colour off a TTY", () => {
    const file = join(tmp, "b.log");
    const printer = new TreePrinter({ output: file, durations: true, timestamps: true });
    addSink(printer);
    try {
      traced("p.timed", () => 1)();
    } finally {
      removeSink(printer);
      printer.shutdown();
    }
    const [enterLine, exitLine] = readFileSync(file, "utf8").trim().split("\n");
    expect(enterLine).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z g\[\d+\]:    ->p\.timed$/);
    expect(exitLine).toMatch(/<-p\.timed \d+\.\d+(µs|ms)$/);
    expect(exitLine).not.toContain("\x1b[");
  });

  it("should format durations in a readable unit", () => {
    expect(formatDuration(0.0123)).toBe("12.3µs");
    expect(formatDuration(1.5)).toBe("1.500ms");
    expect(formatDuration(2500)).toBe("2.50s");
  });

  it("should flush everything at exit, to the file FUNCTRACE_OUTPUT names", () => {
    const file = join(tmp, "exit.log");
    const code = `const { traced } = require("functrace");
      const f = traced("x.f", () => 1);
      for (let i = 0; i < 1000; i++) f();
      process.exit(0);`;
    const r = runNode(["-e", code], { FUNCTRACE: "on", FUNCTRACE_OUTPUT: file });
    expect(r.status).toBe(0);
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(2000);
  });

  it("should print to stdout when asked", () => {
    const code = `require("functrace").traced("x.out", () => 1)();`;
    const r = runNode(["-e", code], { FUNCTRACE: "on", FUNCTRACE_OUTPUT: "stdout" });
    expect(r.stdout).toBe("g[01]:    ->x.out\ng[01]:    <-x.out\n");
    expect(r.stderr).toBe("");
  });

  it("should print the enter line of a call the program exits in", () => {
    const code = `const { traced } = require("functrace"); traced("x.main", () => process.exit(0))();`;
    const r = runNode(["-e", code], { FUNCTRACE: "on", FUNCTRACE_OUTPUT: "stdout" });
    expect(r.stdout).toBe("g[01]:    ->x.main\n");
  });

  it("should report an unwritable output once and keep the program running", () => {
    const code = `const { traced } = require("functrace"); console.log(traced("x.f", () => 41)() + 1);`;
    const r = runNode(["-e", code], { FUNCTRACE: "on", FUNCTRACE_OUTPUT: "/nonexistent/dir/trace.log" });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("42\n");
    expect(r.stderr.match(/functrace error/g)).toHaveLength(1);
    expect(r.stderr).toContain("ENOENT");
  });
});

describe("TreePrinter handoff", () => {
  it("should print a call that outlives its caller leaving one flow and arriving in the next", async () => {
    const file = join(tmp, "handoff.log");
    const printer = new TreePrinter({ output: file });
    addSink(printer);
    try {
      const child = traced("p.child", async () => {
        await new Promise((r) => setTimeout(r, 2));
        return 1;
      });
      let pending: Promise<number> = Promise.resolve(0);
      const caller = traced("p.caller", () => {
        pending = child(); // fire and forget: the child outlives its caller
        return 0;
      });
      caller();
      await pending;
    } finally {
      removeSink(printer);
      printer.shutdown();
    }
    const lines = readFileSync(file, "utf8").trim().split("\n");
    const [a, b] = [lines[0].match(/^g\[(\d+)\]/)![1], lines[2].match(/~> g\[(\d+)\]/)![1]];
    expect(lines).toEqual([
      `g[${a}]:    ->p.caller`,
      `g[${a}]:        ->p.child`,
      `g[${a}]:        <-p.child ~> g[${b}]`,
      // In its new flow the call that outlived its caller starts at depth 1.
      `g[${b}]:    ->p.child <~ g[${a}] p.caller`,
      `g[${a}]:    <-p.caller`,
      `g[${b}]:    <-p.child`,
    ]);
  });
});

/** The format, spelled out plainly: what every printed line must equal byte for byte. */
function expectedLine(flowId: number, depth: number, entering: boolean, name: string, suffix = ""): string {
  return `g[${String(flowId).padStart(2, "0")}]:${" ".repeat(4 * depth)}${entering ? "->" : "<-"}${name}${suffix}\n`;
}

describe("TreePrinter line bytes (cached bodies and the paths around them)", () => {
  function printTo(file: string, calls: Array<[Flow, number, boolean, string]>, options = {}): string {
    const printer = new TreePrinter({ output: file, ...options });
    let id = 0;
    for (const [flow, depth, entering, name] of calls) {
      // every line its own call (a span id of its own, as the engine gives them)
      const frame = new Frame(++id, name, "f.js", 1, flow, depth, null);
      if (entering) printer.onEnter(frame);
      else printer.onExit(frame);
    }
    printer.shutdown();
    return readFileSync(file, "utf8");
  }
  function shownFlow(id: number): Flow {
    const flow = new Flow(id, null, null, true);
    flow.shown = true;
    return flow;
  }

  it("should print the same bytes for a name at every depth, cached or not, entering and leaving", () => {
    const flow = shownFlow(1);
    const calls: Array<[Flow, number, boolean, string]> = [];
    // past the cache's depth limit, twice (the second time is a cache hit below it)
    for (let round = 0; round < 2; round++) {
      for (let depth = 0; depth <= MAX_CACHED_DEPTH + 20; depth++) calls.push([flow, depth, true, "deep.f"]);
      for (let depth = MAX_CACHED_DEPTH + 20; depth >= 0; depth--) calls.push([flow, depth, false, "deep.f"]);
    }
    const text = printTo(join(tmp, "deep.log"), calls);
    expect(text).toBe(calls.map(([f, d, e, n]) => expectedLine(f.id, d, e, n)).join(""));
  });

  it("should print very long and non-ASCII names as UTF-8", () => {
    const long = "x".repeat(70_000) + ".end"; // longer than the writer's whole buffer
    const names = ["café.ünï", "日本.関数", "emoji.🎉", long, "a.b"];
    const calls: Array<[Flow, number, boolean, string]> = [];
    const flow = shownFlow(7);
    for (const name of names) calls.push([flow, 3, true, name], [flow, 3, false, name]);
    const text = printTo(join(tmp, "names.log"), calls);
    expect(text).toBe(calls.map(([f, d, e, n]) => expectedLine(f.id, d, e, n)).join(""));
  });

  it("should interleave many flows with ids of one to four digits", () => {
    const flows = [1, 9, 10, 99, 100, 1234].map(shownFlow);
    const calls: Array<[Flow, number, boolean, string]> = [];
    for (let i = 0; i < 500; i++) {
      const flow = flows[i % flows.length];
      calls.push([flow, 1 + (i % 5), i % 2 === 0, `f.n${i % 13}`]);
    }
    const text = printTo(join(tmp, "flows.log"), calls);
    expect(text).toBe(calls.map(([f, d, e, n]) => expectedLine(f.id, d, e, n)).join(""));
  });

  it("should print leaf calls (enter, then its exit) the same in flows of any id width", () => {
    const calls: Array<[Flow, number, boolean, string]> = [];
    for (const id of [1, 42, 100, 999, 1000, 123_456, 12_345_678]) {
      const flow = shownFlow(id);
      calls.push([flow, 1, true, "leaf.outer"], [flow, 2, true, "leaf.f"], [flow, 2, false, "leaf.f"], [flow, 1, false, "leaf.outer"]);
    }
    const printer = new TreePrinter({ output: join(tmp, "leaves.log") });
    const open: Frame[] = [];
    let id = 0;
    for (const [flow, depth, entering, name] of calls) {
      // one frame per call, as the engine passes: enter and exit of a leaf are the same object
      const frame = entering ? new Frame(++id, name, "f.js", 1, flow, depth, null) : undefined;
      if (frame !== undefined) open.push(frame);
      if (entering) printer.onEnter(frame!);
      else printer.onExit(open.pop()!);
    }
    printer.shutdown();
    expect(readFileSync(join(tmp, "leaves.log"), "utf8")).toBe(calls.map(([f, d, e, n]) => expectedLine(f.id, d, e, n)).join(""));
  });

  it("should write an enter line held back for its exit at flush, and after a moment with nothing else", async () => {
    const file = join(tmp, "held.log");
    const printer = new TreePrinter({ output: file });
    const flow = shownFlow(5);
    const frame = new Frame(1, "held.f", "f.js", 1, flow, 1, null);
    printer.onEnter(frame);
    await new Promise((r) => setTimeout(r, 100)); // the writer's timer (25 ms) writes it
    expect(readFileSync(file, "utf8")).toBe(expectedLine(5, 1, true, "held.f"));
    const next = new Frame(2, "held.g", "f.js", 1, flow, 2, null);
    printer.onEnter(next);
    printer.flush();
    expect(readFileSync(file, "utf8")).toBe(expectedLine(5, 1, true, "held.f") + expectedLine(5, 2, true, "held.g"));
    printer.onExit(next);
    printer.onExit(frame);
    printer.shutdown();
    expect(readFileSync(file, "utf8")).toBe(
      [expectedLine(5, 1, true, "held.f"), expectedLine(5, 2, true, "held.g"), expectedLine(5, 2, false, "held.g"), expectedLine(5, 1, false, "held.f")].join(""),
    );
  });

  it("should not join a leaf's lines when the exit carries a duration or an error", () => {
    const file = join(tmp, "suffix.log");
    const printer = new TreePrinter({ output: file });
    const flow = shownFlow(2);
    const frame = new Frame(1, "bad.f", "f.js", 1, flow, 1, null);
    printer.onEnter(frame);
    frame.flags |= FAILED;
    frame.error = new TypeError("boom");
    printer.onExit(frame);
    printer.shutdown();
    expect(readFileSync(file, "utf8")).toBe(expectedLine(2, 1, true, "bad.f") + expectedLine(2, 1, false, "bad.f", " !TypeError: boom"));
  });

  it("should print a flow's first line with where it came from, then plain lines", () => {
    const root = shownFlow(1);
    const spawner = new Frame(5, "app.start", "f.js", 1, root, 1, null);
    const flow = new Flow(2, root, spawner, true);
    const text = printTo(join(tmp, "first.log"), [
      [flow, 1, true, "app.cb"],
      [flow, 2, true, "app.cb"],
      [flow, 2, false, "app.cb"],
      [flow, 1, false, "app.cb"],
    ]);
    expect(text).toBe(
      expectedLine(2, 1, true, "app.cb", " <~ g[01] app.start") +
        expectedLine(2, 2, true, "app.cb") +
        expectedLine(2, 2, false, "app.cb") +
        expectedLine(2, 1, false, "app.cb"),
    );
  });

  it("should put the pid prefix and colours around the same lines", () => {
    const flow = shownFlow(3);
    const calls: Array<[Flow, number, boolean, string]> = [
      [flow, 1, true, "c.f"],
      [flow, 1, false, "c.f"],
    ];
    const plain = calls.map(([f, d, e, n]) => expectedLine(f.id, d, e, n));
    expect(printTo(join(tmp, "pid.log"), calls, { pid: true })).toBe(plain.map((l) => `[${process.pid}] ${l}`).join(""));
    const colored = printTo(join(tmp, "color.log"), calls, { color: true });
    expect(colored).toBe(plain.map((l) => l.replace("g[03]:", "\x1b[32mg[03]:\x1b[0m")).join(""));
  });
});

describe("LineBodies", () => {
  it("should stop caching at its byte budget and the depth limit, and build the same bytes in place", () => {
    const lines = new LineBodies(64);
    const entry = lines.of("n.f");
    const first = lines.body(entry, 2, true)!; // 13 bytes
    expect(Buffer.from(first).toString("latin1")).toBe("        ->n.f");
    expect(lines.body(entry, 2, true)).toBe(first);
    expect(lines.body(entry, 12, false)).toBeUndefined(); // 53 more bytes would pass 64
    expect(lines.body(entry, MAX_CACHED_DEPTH + 1, true)).toBeUndefined();
    const buf = Buffer.alloc(64);
    const end = writeBody(buf, 0, 12, false, entry.bytes);
    expect(buf.toString("latin1", 0, end)).toBe(" ".repeat(48) + "<-n.f");
  });

  it("should give each name its own entry when more names than a set holds meet in one", () => {
    // same length, same middle and last characters: one set of the name cache (2 ways) for all six
    const names = ["q0.ab", "q1.ab", "q2.ab", "r3.ab", "r4.ab", "s5.ab"];
    const lines = new LineBodies();
    const first = new Map(names.map((n) => [n, lines.of(n)]));
    for (const i of [0, 1, 2, 0, 3, 3, 4, 1, 5, 0, 2, 5, 4]) {
      const entry = lines.of(names[i]);
      expect(Buffer.from(entry.bytes).toString("utf8")).toBe(names[i]);
      expect(entry).toBe(first.get(names[i])); // one entry a name: its cached bodies are kept
    }
    expect(Buffer.from(lines.of("").bytes)).toHaveLength(0);
  });
});
