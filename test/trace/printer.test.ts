import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as fs from "node:fs";
import { TreePrinter, formatDuration } from "../../src/trace/sinks/tree-printer.js";
import { addSink, removeSink, traced } from "../../src/trace/index.js";
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
