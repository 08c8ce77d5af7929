import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { assertFlowsNested } from "../helpers/trace-harness.js";
import { cleanup, instrumentedCopy } from "../helpers/instrumented-copy.js";
import { ROOT } from "../helpers/run-node.js";

/**
 * AsyncLocalStorage has two implementations in Node: async_hooks (promise hooks; Node 22's
 * default) and AsyncContextFrame (Node 24's default, `--experimental-async-context-frame` on
 * Node 22). docs/benchmarks.md ("Round 5") advises the flag on Node 22 for speed; this test runs
 * the same instrumented program under both, on the Node running the tests, and compares the
 * printed trees. Node 20 has only the first: nothing to compare there.
 */
function variants(): { hooks: string[]; frame: string[] } | undefined {
  const flags = process.allowedNodeEnvironmentFlags;
  if (flags.has("--experimental-async-context-frame"))
    return { hooks: [], frame: ["--experimental-async-context-frame"] };
  if (flags.has("--no-async-context-frame")) return { hooks: ["--no-async-context-frame"], frame: [] };
  return undefined;
}

const VARIANTS = variants();
const CASES = [
  "sequential",
  "concurrent",
  "outlived",
  "callbacks",
  "generators",
  "errors",
  "overflow",
] as const;
type Case = (typeof CASES)[number];

/** What each case must show, so that two equal trees are also the right trees. */
const SHAPE: Record<Case, { stdout: string; minFlows: number; marks: string[] }> = {
  sequential: {
    stdout: "sequential: 7\n",
    minFlows: 4,
    marks: ["g[01]:    ->flows.main", "->flows.chain <~ g[01] flows.CASES.sequential", "<~ g[02] flows.step"],
  },
  concurrent: {
    stdout: "concurrent: [7,8,5]\n",
    minFlows: 8,
    marks: ["->flows.step <~ g[01] flows.CASES.concurrent", "<~ g[04] flows.step"],
  },
  outlived: {
    stdout: "outlived: done\n",
    minFlows: 5,
    marks: ["->flows.chain <~ g[01] flows.fire", "~> g["],
  },
  callbacks: {
    stdout: "callbacks: done\n",
    minFlows: 12,
    marks: [
      "->flows.onTimer <~ g[01]",
      "->flows.onImmediate <~ g[09] flows.onTimer",
      "->flows.onThen <~ g[01]",
    ],
  },
  generators: { stdout: "generators: 6\n", minFlows: 1, marks: ["->flows.numbers"] },
  errors: {
    stdout: "errors: 3\n",
    minFlows: 1,
    marks: ["<-flows.fails !TypeError: bad 1", "<-flows.fails !TypeError: bad 4"],
  },
  overflow: {
    stdout: "overflow: true\n",
    minFlows: 4,
    marks: ["->flows.down", "<-flows.down !RangeError: ", "->flows.overflow"],
  },
};

// The overflow case on a 200 KB stack (Node's default ~984 KB): the tree of a recursion ~6,600
// deep is 175 MB of indentation; ~1,300 deep it is 7 MB.
const STACK = ["--stack-size=200"];

function run(dir: string, flags: string[], name: Case) {
  const res = spawnSync(
    process.execPath,
    [...flags, ...(name === "overflow" ? STACK : []), join(dir, "flows.mjs"), name],
    {
      cwd: ROOT,
      env: { ...process.env, FUNCTRACE: "on", FUNCTRACE_OUTPUT: "", FUNCTRACE_EXPORTER: "" },
      encoding: "utf8",
      timeout: 60_000,
      maxBuffer: 64 << 20,
    },
  );
  if (res.error) throw res.error;
  return { status: res.status, stdout: res.stdout, lines: res.stderr.trimEnd().split("\n") };
}

const missingMarks = (lines: string[], name: Case) =>
  SHAPE[name].marks.filter((m) => !lines.some((l) => l.includes(m)));

/** Which implementation a set of flags selects (Node's internal flag; undefined if it moved). */
function frameEnabled(flags: string[]): boolean | undefined {
  const res = spawnSync(
    process.execPath,
    [...flags, "--expose-internals", "-p", 'require("internal/async_context_frame").enabled'],
    { encoding: "utf8" },
  );
  return res.status === 0 ? res.stdout.trim() === "true" : undefined;
}

/**
 * The overflow case's tree with the recursion folded: every line but `down`'s, then how deep
 * `down` went and how many of its lines the overflow took at the bottom of the stack: an exit
 * that closes calls deeper than itself lost their exit lines; an enter more than one level below
 * the innermost open call, or an exit below it, lost enter lines (the printer holds a leaf's
 * enter line back, and the overflow can take it).
 */
function foldOverflow(lines: string[]) {
  const rest: string[] = [];
  const stack: number[] = [];
  let deepest = 0;
  let lostExits = 0;
  let lostEnters = 0;
  let torn = 0;
  for (const whole of lines) {
    // a line torn by the overflow: the first part of one line's indentation, then the next line
    const tear = /^g\[01\]: *(g\[01\]:.*flows\.down\b.*)$/.exec(whole);
    if (tear) torn++;
    const line = tear ? tear[1] : whole;
    const m = /^g\[01\]:( *)(->|<-)flows\.down\b/.exec(line);
    if (!m) {
      rest.push(line);
      continue;
    }
    const depth = m[1].length / 4;
    if (m[2] === "->") {
      for (let d = stack.length > 0 ? stack[stack.length - 1] + 1 : depth; d < depth; d++, lostEnters++)
        stack.push(d);
      stack.push(depth);
      deepest = Math.max(deepest, depth);
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === undefined || depth > top) {
      lostEnters += top === undefined ? 1 : depth - top; // the exit of a call whose enter line was lost
      continue;
    }
    while (stack[stack.length - 1] > depth) {
      stack.pop();
      lostExits++;
    }
    expect(stack.pop()).toBe(depth);
  }
  lostExits += stack.length; // calls left open: their exit lines went with a lost chunk
  return { rest, deepest, lostExits, lostEnters, torn };
}

(VARIANTS ? describe : describe.skip)(`AsyncLocalStorage implementations on Node ${process.version}`, () => {
  const { hooks, frame } = VARIANTS ?? { hooks: [], frame: [] };
  let dir = "";
  beforeAll(() => {
    dir = instrumentedCopy(join(ROOT, "test/fixtures/async-context"), ["flows.mjs"]);
  });
  afterAll(() => cleanup(dir));

  it("the flags select the two implementations", () => {
    const [withHooks, withFrame] = [frameEnabled(hooks), frameEnabled(frame)];
    if (withHooks === undefined || withFrame === undefined) return; // the internal module moved: nothing to check
    expect([withHooks, withFrame]).toEqual([false, true]);
  });

  it.each(CASES.filter((c) => c !== "overflow"))(
    "%s: the same tree, line for line, under AsyncContextFrame as under async_hooks",
    (name) => {
      const a = run(dir, hooks, name);
      const b = run(dir, frame, name);
      for (const r of [a, b]) {
        expect(r.status).toBe(0);
        expect(r.stdout).toBe(SHAPE[name].stdout);
        expect(assertFlowsNested(r.lines).size).toBeGreaterThanOrEqual(SHAPE[name].minFlows);
        expect(missingMarks(r.lines, name)).toEqual([]);
      }
      expect(b.lines).toEqual(a.lines);
    },
  );

  // A stack overflow at the end of the run: flows, depths and every line outside the recursion
  // must be the same; how deep the recursion gets, and which of its bottom lines the overflow
  // takes, need not be (frame sizes decide where the stack runs out). This case differs, measured
  // by hand on Node 22's default stack (2026-12-02, every run alike, 6,606 `down` calls both
  // ways): without the flag the overflow took one exit line (the known limit in docs/tracing.md);
  // with --experimental-async-context-frame it took two enter lines and one exit line, so that
  // flow's tree jumps two levels at the bottom. At --stack-size=300 the losses move from run to
  // run under either implementation (one exit line, or one leaf's enter line): where lines go
  // missing follows the stack, not the implementation. Node 24 lost two exit lines both ways.
  // Under jest on the 200 KB stack used here, depth and losses move from run to run too, and
  // the lines the overflow takes differ (see the next test); what is compared is therefore
  // everything outside the recursion.
  it("overflow: the same tree outside the recursion, whose depth may differ", () => {
    const a = run(dir, hooks, "overflow");
    const b = run(dir, frame, "overflow");
    for (const r of [a, b]) {
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(SHAPE.overflow.stdout);
      expect(missingMarks(r.lines, "overflow")).toEqual([]);
    }
    const [fa, fb] = [foldOverflow(a.lines), foldOverflow(b.lines)];
    expect(assertFlowsNested(fa.rest).size).toBeGreaterThanOrEqual(SHAPE.overflow.minFlows);
    expect(fb.rest).toEqual(fa.rest);
    for (const f of [fa, fb]) expect(f.deepest).toBeGreaterThan(500);
  });

  // Found with this test, in the printer (not in either AsyncLocalStorage implementation): when
  // stderr was a pipe (spawnSync here) and the stack overflowed, whole chunks of the recursion's
  // lines went missing (hundreds of lines) and a line was torn: 3 runs of 5 outside jest, Node 24
  // at --stack-size=200. Cause: BufferedWriter.flush() emptied the buffer before writing; the pipe
  // took part of it, the next writeSync got EAGAIN (spawnSync's pipe is non-blocking) and its
  // retry, at the bottom of the exhausted stack, threw RangeError. The writer now keeps what a
  // throw left unwritten (test/trace/buffered-writer.test.ts); through the pipe, the overflow may
  // still take the bottom call's exit and a leaf's held-back enter line, no more.
  it("overflow with stderr a pipe: no torn line, every call of the recursion printed", () => {
    for (let i = 0; i < 3; i++) {
      for (const flags of [hooks, frame]) {
        const lines = run(dir, flags, "overflow").lines;
        const downs = lines.map((l) => /^g\[01\]:( *)(->|<-)flows\.down\b/.exec(l)).filter((m) => m !== null);
        const torn = lines.filter((l) => /^g\[01\]: *g\[01\]:/.test(l)).length;
        const depths = downs.map((m) => m[1].length / 4);
        const calls = Math.max(...depths) - depths[0] + 1;
        const enters = downs.filter((m) => m[2] === "->").length;
        const exits = downs.length - enters;
        expect({ torn, entersLost: calls - enters <= 2, exitsLost: enters - exits <= 3 }).toEqual({ torn: 0, entersLost: true, exitsLost: true });
        expect(calls).toBeGreaterThan(500);
      }
    }
  });
});
