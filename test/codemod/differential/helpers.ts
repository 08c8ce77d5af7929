import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";

// Differential tests on real published packages: copy a package to a temp folder, instrument
// the copy with the CLI, run the same generated workload against both copies in child
// processes, and compare what they record. The instrumented copy resolves `functrace` through
// <sandbox>/node_modules/functrace, a snapshot of the built package (its exports point at dist/).

/** Repository root. */
export const ROOT = join(__dirname, "..", "..", "..");
/** The workload scripts (plain ESM, run in child processes). */
export const WORKLOADS = join(__dirname, "workloads");

/** A package copied twice (original and instrumented) in a temp folder. */
export interface Sandbox {
  dir: string;
  /** The untouched copy. */
  original: string;
  /** The copy after `functrace-gen -w`. */
  instrumented: string;
  /** The CLI's summary line for the instrumentation run. */
  summary: string;
  /** Functions the CLI reported as instrumented. */
  functions: number;
  /** The snapshot's CLI (bin/functrace-gen.js). */
  cli: string;
}

/** What a workload run recorded. */
export interface RunResult {
  lines: string[];
  stderr: string;
}

const BUILT = [
  "dist/cjs/index.js",
  "dist/esm/index.js",
  "dist/cjs/codemod/cli.js",
  "dist/cjs/noop-entry.js",
  "dist/esm/noop-entry.js",
];

/** Fail early with a clear message when dist/ is missing (the CLI and the runtime run built). */
export function assertBuilt(): void {
  for (const f of BUILT) {
    if (!existsSync(join(ROOT, f)))
      throw new Error(`${f} is missing: run \`npm run build\` before the differential tests`);
  }
}

/**
 * A private copy of the built package (package.json, bin, dist) at `<dir>/functrace`, its
 * dependencies resolved through a `node_modules` link to this repository's: a rebuild of dist/
 * while the tests run (rm, then tsc) cannot pull the runtime from under the children.
 */
export function snapshotPackage(dir: string): string {
  const to = join(dir, "functrace");
  for (let attempt = 0; ; attempt++) {
    try {
      assertBuilt();
      rmSync(to, { recursive: true, force: true });
      for (const part of ["package.json", "bin", "dist"])
        cpSync(join(ROOT, part), join(to, part), { recursive: true });
      symlinkSync(join(ROOT, "node_modules"), join(to, "node_modules"), "dir");
      loadCheck(to);
      return to;
    } catch (err) {
      if (attempt >= 45) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
    }
  }
}

/** Every entry point of the snapshot loads (a copy taken halfway through a build does not). */
function loadCheck(pkg: string): void {
  const entries = ["dist/cjs/index.js", "dist/cjs/noop-entry.js", "dist/cjs/codemod/cli.js"].map(
    (f) => `require(${JSON.stringify(join(pkg, f))});`,
  );
  const esm = ["dist/esm/index.js", "dist/esm/noop-entry.js"].map(
    (f) => `import(${JSON.stringify(join(pkg, f))})`,
  );
  const code = `${entries.join("")} Promise.all([${esm.join(",")}]).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;
  const res = spawnSync(process.execPath, ["-e", code], {
    encoding: "utf8",
    env: cleanEnv({ FUNCTRACE: "off" }),
  });
  if (res.status !== 0)
    throw new Error(`the copy of dist/ does not load (a build is running?): ${res.stderr}`);
}

/** Every file under `dir`, relative, sorted (symlinks and node_modules excluded). */
export function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const abs = join(dir, e.name);
    if (e.isDirectory() && e.name !== "node_modules") out.push(...listFiles(abs, base));
    else if (e.isFile()) out.push(relative(base, abs));
  }
  return out.sort();
}

/** Run the CLI (`cli`: a bin path) in `cwd`; throws with its output when it does not exit 0. */
export function runCli(cli: string, args: string[], cwd: string): string {
  const res = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    encoding: "utf8",
    env: cleanEnv({}),
    maxBuffer: 64 << 20,
  });
  if (res.status !== 0)
    throw new Error(`functrace-gen ${args.join(" ")} exited ${res.status}\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

/**
 * Copy `srcDir` (a package folder, or part of one) to `<tmp>/original/<name>` and
 * `<tmp>/instrumented/<name>`, add `extra` files (user code that should be instrumented too) to
 * both, link `functrace` and the package's `deps` into `<tmp>/node_modules`, then instrument
 * `targets` (paths relative to the instrumented folder; default: the whole copy).
 */
export function makeSandbox(
  srcDir: string,
  opts: { extra?: Record<string, string>; deps?: string[]; targets?: string[] } = {},
): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), "functrace-diff-"));
  const name = basename(srcDir);
  mkdirSync(join(dir, "node_modules"));
  const pkg = snapshotPackage(dir);
  const cli = join(pkg, "bin", "functrace-gen.js");
  symlinkSync(pkg, join(dir, "node_modules", "functrace"), "dir");
  for (const dep of opts.deps ?? [])
    symlinkSync(join(ROOT, "node_modules", dep), join(dir, "node_modules", dep), "dir");
  const original = join(dir, "original", name);
  const instrumented = join(dir, "instrumented", name);
  for (const copy of [original, instrumented]) {
    cpSync(srcDir, copy, { recursive: true, dereference: true });
    for (const [rel, from] of Object.entries(opts.extra ?? {})) {
      mkdirSync(join(copy, rel, ".."), { recursive: true });
      writeFileSync(join(copy, rel), readFileSync(from));
    }
  }
  const targets = (opts.targets ?? ["."]).map((t) => join(name, t));
  const summary = runCli(cli, ["-w", ...targets], join(dir, "instrumented"))
    .trim()
    .split("\n")[0];
  const m = /; (\d+) functions instrumented/.exec(summary);
  return { dir, original, instrumented, summary, functions: m ? Number(m[1]) : 0, cli };
}

/** Remove a sandbox. */
export function dropSandbox(sb: Sandbox | undefined): void {
  if (sb) rmSync(sb.dir, { recursive: true, force: true });
}

/** The environment for children: no FUNCTRACE_* settings leaking in from the test runner. */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("FUNCTRACE")) out[k] = v;
  return { ...out, ...env };
}

/** Run a workload against a package folder; returns its recorded lines. Throws when it fails. */
export function runWorkload(
  workload: string,
  pkgDir: string,
  env: Record<string, string>,
  args: string[] = [],
): RunResult {
  const out = join(pkgDir, "..", `out-${Math.random().toString(36).slice(2)}.txt`);
  const script = join(WORKLOADS, workload);
  const res = spawnSync(process.execPath, [script, pkgDir, "--out", out, ...args], {
    cwd: join(pkgDir, ".."),
    encoding: "utf8",
    env: cleanEnv(env),
    maxBuffer: 64 << 20,
  });
  if (res.error) throw res.error;
  if (res.status !== 0) throw new Error(`${workload} on ${pkgDir} exited ${res.status}\n${res.stderr}`);
  const lines = readFileSync(out, "utf8").split("\n");
  rmSync(out);
  return { lines, stderr: res.stderr };
}

/**
 * Exact equality of two recordings, reported at the first differing line (a full diff of
 * tens of thousands of lines would drown the one that matters).
 */
export function expectSameLines(actual: string[], expected: string[], what: string): void {
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) {
      expect({ what, line: i + 1, actual: actual[i] }).toEqual({ what, line: i + 1, actual: expected[i] });
    }
  }
  expect(actual.length).toBe(expected.length);
}

/**
 * The rule of test/helpers/trace-harness.ts `assertFlowsNested` (filtering by one flow id gives
 * one correctly nested chain: each exit closes the innermost open call of that flow, depths step
 * by one), in linear time: that one copies the flow's array on every line, which is quadratic on
 * the 100k-line traces of these runs. Returns the number of flows.
 */
export function assertNestedPerFlow(lines: string[]): number {
  const stacks = new Map<string, { name: string; depth: number }[]>();
  for (const line of lines) {
    const m = /^(?:\S+ )?(g\[\d+\]):( *)(->|<-)(\S+)/.exec(line);
    if (!m) continue;
    const [, flow, indent, arrow, name] = m;
    const depth = indent.length / 4;
    let stack = stacks.get(flow);
    if (!stack) stacks.set(flow, (stack = []));
    const top = stack[stack.length - 1];
    if (arrow === "->") {
      if (top !== undefined && depth !== top.depth + 1)
        throw new Error(`${flow}: ${name} entered at depth ${depth} under ${top.name}@${top.depth}\n${line}`);
      stack.push({ name, depth });
    } else {
      stack.pop();
      if (top === undefined || top.name !== name || top.depth !== depth)
        throw new Error(
          `${flow}: exit of ${name}@${depth} does not close ${top?.name}@${top?.depth}\n${line}`,
        );
    }
  }
  for (const [flow, stack] of stacks)
    if (stack.length > 0) throw new Error(`${flow}: unclosed ${stack.map((f) => f.name).join(", ")}`);
  return stacks.size;
}

/** The trace file of a FUNCTRACE=on run: non-empty, and every flow one correctly nested chain. */
export function checkTrace(file: string, mustMention: RegExp): { lines: number; flows: number } {
  const lines = readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.length > 0);
  expect(lines.length).toBeGreaterThan(0);
  const flows = assertNestedPerFlow(lines);
  expect(lines.some((l) => mustMention.test(l))).toBe(true);
  return { lines: lines.length, flows };
}

/** `--remove -w` on a third copy of the instrumented folder gives back every file byte for byte. */
export function expectRemoveRestores(sb: Sandbox): void {
  const name = basename(sb.original);
  const removed = join(sb.dir, "removed", name);
  cpSync(sb.instrumented, removed, { recursive: true });
  runCli(sb.cli, ["--remove", "-w", name], join(sb.dir, "removed"));
  const files = listFiles(sb.original);
  expect(listFiles(removed)).toEqual(files);
  const differing = files.filter(
    (f) => !readFileSync(join(removed, f)).equals(readFileSync(join(sb.original, f))),
  );
  expect(differing).toEqual([]);
  // And instrumentation did change the copy (the comparison above is not vacuous).
  const changed = files.filter(
    (f) => !readFileSync(join(sb.instrumented, f)).equals(readFileSync(join(sb.original, f))),
  );
  expect(changed.length).toBeGreaterThan(0);
}

/** One package's differential suite. */
export interface DifferentialSpec {
  /** Folder to copy (a package under node_modules, or part of one). */
  source: string;
  /** Workload script in workloads/. */
  workload: string;
  /** Packages it requires, linked into the sandbox's node_modules. */
  deps?: string[];
  /** User-code files added to both copies (instrumented along with the package). */
  extra?: Record<string, string>;
  /** Keep every n-th case in the FUNCTRACE=on run (a trace line per call adds up). */
  traceSlice: number;
  /** A trace line the FUNCTRACE=on run must contain. */
  mention: RegExp;
  /** Lower bound on the functions the CLI must report instrumented. */
  minFunctions: number;
  /** Lower bound on the recorded cases of the full workload. */
  minCases: number;
}

/**
 * The shared suite: instrument, compare with FUNCTRACE=off (full workload) and FUNCTRACE=on
 * (a slice, trace to a file, trace nested per flow), and `--remove` restoring the bytes.
 * Returns an accessor for the sandbox so a test file can add its own cases.
 */
export function describeDifferential(title: string, spec: DifferentialSpec): () => Sandbox {
  let sb: Sandbox | undefined;
  let original: RunResult;
  beforeAll(() => {
    sb = makeSandbox(spec.source, { deps: spec.deps, extra: spec.extra });
    original = runWorkload(spec.workload, sb.original, {});
  });
  afterAll(() => dropSandbox(sb));
  const box = () => sb as Sandbox;

  describe(title, () => {
    it("should instrument every source file without failures", () => {
      expect(box().summary).toMatch(/ 0 failed; /);
      expect(box().functions).toBeGreaterThanOrEqual(spec.minFunctions);
      expect(original.lines.length).toBeGreaterThanOrEqual(spec.minCases);
    });

    it("should record the same results and thrown errors with FUNCTRACE=off", () => {
      const run = runWorkload(spec.workload, box().instrumented, { FUNCTRACE: "off" });
      expectSameLines(run.lines, original.lines, `${title} FUNCTRACE=off`);
      expect(run.stderr).toBe(original.stderr);
    });

    it("should record the same with FUNCTRACE=on and write a trace nested per flow", () => {
      const slice = ["--slice", String(spec.traceSlice)];
      const trace = join(box().dir, "trace.txt");
      const want = runWorkload(spec.workload, box().original, {}, slice);
      const run = runWorkload(
        spec.workload,
        box().instrumented,
        { FUNCTRACE: "on", FUNCTRACE_OUTPUT: trace },
        slice,
      );
      expectSameLines(run.lines, want.lines, `${title} FUNCTRACE=on`);
      expect(run.stderr).toBe(want.stderr);
      const { lines, flows } = checkTrace(trace, spec.mention);
      expect(lines).toBeGreaterThan(100);
      expect(flows).toBeGreaterThan(0);
    });

    it("should give back every file byte for byte with --remove -w", () => {
      expectRemoveRestores(box());
    });
  });
  return box;
}
