// Scale benchmark of functrace-gen (src/codemod), run against the BUILT files:
//   npm run build && node bench/codemod-scale.bench.mjs [--rounds 3] [--json] [--only tsc,tree,overhead] [--dist DIR]
// (`--dist DIR`: take the built files from DIR instead of ./dist, e.g. a private build
//  `tsc -p tsconfig.build.json --outDir DIR/cjs`, so the shared dist/ is left alone.)
// Rows (every one next to a baseline measured in the same run, rounds interleaved):
//   tsc      instrument / --remove typescript@5.9.3 lib/_tsc.js (6.2 MB, 134k lines): seconds and
//            peak RSS of the CLI process; baseline = the same file parsed once (the floor).
//   tree     lines/s of `-w` on a tree of ordinary files (13 installed packages, ~2,000 files);
//            baseline = parse-only lines/s over the same files.
//   overhead the differential workloads (test/codemod/differential/workloads) and the TypeScript
//            compiler on a small project: instrumented copy with FUNCTRACE=off vs the original.
// `--json` prints one JSON object per line: {name, unit, median, min, baseline, ratio}.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const NM = join(ROOT, "node_modules");
const WORKLOADS = join(ROOT, "test", "codemod", "differential", "workloads");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const ROUNDS = Number(arg("rounds", 3));
const JSON_OUT = process.argv.includes("--json");
const ONLY = arg("only", "tsc,tree,overhead").split(",");
const TREE_PACKAGES = [
  "semver",
  "mnemonist",
  "async",
  "commander",
  "yaml",
  "ajv",
  "@opentelemetry",
  "diff",
  "picomatch",
  "prom-client",
  "hot-shots",
  "cli-progress",
  "ignore",
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const r3 = (x) => Math.round(x * 1000) / 1000;
const rows = [];
function row(name, unit, samples, baselineSamples, extra = {}) {
  const r = {
    name: `codemod-scale ${name}`,
    unit,
    median: r3(median(samples)),
    min: r3(Math.min(...samples)),
    baseline: r3(median(baselineSamples)),
    ...extra,
  };
  r.ratio = r3(r.median / r.baseline);
  rows.push(r);
  if (JSON_OUT) console.log(JSON.stringify(r));
  else
    console.log(
      `${r.name.padEnd(62)} ${String(r.median).padStart(10)} ${unit.padEnd(8)} min ${String(r.min).padStart(10)}  baseline ${String(r.baseline).padStart(10)}  x${r.ratio}`,
    );
}

// --- sandbox: a private copy of the built package, resolved as `functrace` -----------------------
const dir = mkdtempSync(join(tmpdir(), "functrace-scale-"));
const pkg = join(dir, "functrace");
const DIST = arg("dist", join(ROOT, "dist"));
for (const part of ["package.json", "bin"]) cpSync(join(ROOT, part), join(pkg, part), { recursive: true });
cpSync(DIST, join(pkg, "dist"), { recursive: true });
symlinkSync(NM, join(pkg, "node_modules"), "dir");
mkdirSync(join(dir, "node_modules"));
symlinkSync(pkg, join(dir, "node_modules", "functrace"), "dir");
symlinkSync(join(NM, "obliterator"), join(dir, "node_modules", "obliterator"), "dir");
const CLI = join(pkg, "bin", "functrace-gen.js");

// Runs a script in a child and reports its wall time and peak RSS (resourceUsage at exit).
const WRAP = join(dir, "measure.cjs");
writeFileSync(
  WRAP,
  `const t0 = process.hrtime.bigint();
process.on("exit", () => process.stderr.write("\\n@@measure " + JSON.stringify({ s: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6, rssMB: process.resourceUsage().maxRSS / 1024 }) + "\\n"));
const script = process.argv[2];
process.argv.splice(1, 1);
require(script);
`,
);
const PARSE = join(dir, "parse-only.cjs");
writeFileSync(
  PARSE,
  `// The floor: read and parse every file once, as the codemod's parser does (no JSDoc, no parents).
const { ts } = require(${JSON.stringify(require.resolve("ts-morph"))});
const fs = require("fs");
const kind = (f) => (/\\.tsx$/.test(f) ? ts.ScriptKind.TSX : /\\.jsx$/.test(f) ? ts.ScriptKind.JSX : /\\.[cm]?js$/.test(f) ? ts.ScriptKind.JS : ts.ScriptKind.TS);
const opts = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
let n = 0;
for (const f of fs.readFileSync(process.argv[2], "utf8").split("\\n").filter(Boolean)) n += ts.createSourceFile(f, fs.readFileSync(f, "utf8"), opts, false, kind(f)).statements.length;
if (n < 0) console.log(n);
`,
);

function measured(args, cwd, env = {}) {
  const res = spawnSync(process.execPath, [WRAP, ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 256 << 20,
    env: { ...process.env, FUNCTRACE: "", ...env },
  });
  const m = /@@measure (.*)\n/.exec(res.stderr);
  if (!m) throw new Error(`${args.join(" ")} failed (${res.status}): ${res.stderr.slice(-2000)}`);
  return { ...JSON.parse(m[1]), stdout: res.stdout, status: res.status };
}

function lineCount(files) {
  let lines = 0;
  for (const f of files) {
    const t = readFileSync(f, "utf8");
    for (let i = t.indexOf("\n"); i >= 0; i = t.indexOf("\n", i + 1)) lines++;
    if (t.length > 0 && !t.endsWith("\n")) lines++;
  }
  return lines;
}

// --- tsc: instrument and remove lib/_tsc.js ------------------------------------------------------
function benchTsc() {
  const lib = join(dir, "typescript", "lib");
  cpSync(join(NM, "typescript-5.9.3", "lib"), lib, { recursive: true });
  const file = join(lib, "_tsc.js");
  const original = readFileSync(file);
  const list = join(dir, "tsc-files.txt");
  writeFileSync(list, file + "\n");
  const lines = lineCount([file]);
  const inst = { s: [], cpu: [], rss: [] };
  const rem = { s: [], cpu: [], rss: [] };
  const base = { s: [], cpu: [], rss: [] };
  let instrumented;
  let summary = "";
  for (let round = 0; round < ROUNDS; round++) {
    writeFileSync(file, original);
    const a = measured([CLI, "-w", "typescript/lib/_tsc.js"], dir);
    summary = a.stdout.trim().split("\n")[0];
    inst.s.push(a.s);
    inst.cpu.push(a.cpu);
    inst.rss.push(a.rssMB);
    instrumented = readFileSync(file);
    const b = measured([CLI, "--remove", "-w", "typescript/lib/_tsc.js"], dir);
    rem.s.push(b.s);
    rem.cpu.push(b.cpu);
    rem.rss.push(b.rssMB);
    if (!readFileSync(file).equals(original))
      throw new Error("--remove did not give back the original _tsc.js");
    const c = measured([PARSE, list], dir);
    base.s.push(c.s);
    base.cpu.push(c.cpu);
    base.rss.push(c.rssMB);
  }
  const functions = Number(/(\d+) functions instrumented/.exec(summary)?.[1]);
  const extra = { lines, functions, linesPerSecond: Math.round(lines / median(inst.s)) };
  row("instrument typescript@5.9.3 lib/_tsc.js (-w)", "s", inst.s, base.s, extra);
  row("instrument _tsc.js CPU time (user+sys)", "s", inst.cpu, base.cpu);
  row("instrument _tsc.js peak RSS", "MB", inst.rss, base.rss);
  row("remove _tsc.js (--remove -w)", "s", rem.s, base.s, { lines });
  row("remove _tsc.js CPU time (user+sys)", "s", rem.cpu, base.cpu);
  row("remove _tsc.js peak RSS", "MB", rem.rss, base.rss);
  writeFileSync(file, instrumented);
  return lib;
}

// --- tree: lines/s on ordinary files ------------------------------------------------------------
function benchTree() {
  const tree = join(dir, "tree");
  for (const p of TREE_PACKAGES)
    cpSync(join(NM, p), join(tree, p), {
      recursive: true,
      dereference: true,
      filter: (src) => !src.slice(join(NM, p).length).includes("/node_modules/"),
    });
  const { discover } = require(join(pkg, "dist", "cjs", "codemod", "discover.js"));
  const files = discover(["tree"], { cwd: dir }).files;
  const list = join(dir, "tree-files.txt");
  writeFileSync(list, files.join("\n") + "\n");
  const lines = lineCount(files);
  const pristine = join(dir, "tree-pristine");
  cpSync(tree, pristine, { recursive: true });
  const cli = [];
  const parse = [];
  const cliCpu = [];
  const parseCpu = [];
  let summary = "";
  for (let round = 0; round < ROUNDS; round++) {
    rmSync(tree, { recursive: true, force: true });
    cpSync(pristine, tree, { recursive: true });
    const a = measured([CLI, "-w", "tree"], dir);
    summary = a.stdout.trim().split("\n")[0];
    const b = measured([PARSE, list], dir);
    cli.push(lines / a.s);
    parse.push(lines / b.s);
    cliCpu.push(lines / a.cpu);
    parseCpu.push(lines / b.cpu);
  }
  const m = /(\d+) changed, (\d+) unchanged, (\d+) skipped, (\d+) failed; (\d+) functions instrumented/.exec(
    summary,
  );
  row(
    `-w on ${files.length} ordinary files (${TREE_PACKAGES.length} packages)`,
    "lines/s",
    cli.map(Math.round),
    parse.map(Math.round),
    { lines, files: files.length, failed: Number(m?.[4]), functions: Number(m?.[5]) },
  );
  row(
    "-w on the ordinary files, per CPU second (user+sys)",
    "lines/s",
    cliCpu.map(Math.round),
    parseCpu.map(Math.round),
  );
}

// --- overhead: instrumented packages with FUNCTRACE=off vs the originals --------------------------
function copyInstrumented(name, extra) {
  const orig = join(dir, "original", name);
  const inst = join(dir, "instrumented", name);
  for (const to of [orig, inst]) {
    cpSync(join(NM, name), to, { recursive: true, dereference: true });
    for (const [rel, from] of Object.entries(extra)) {
      mkdirSync(dirname(join(to, rel)), { recursive: true });
      cpSync(from, join(to, rel));
    }
  }
  const res = spawnSync(process.execPath, [CLI, "-w", name], {
    cwd: join(dir, "instrumented"),
    encoding: "utf8",
  });
  if (res.status !== 0) throw new Error(`instrumenting ${name} failed: ${res.stdout}${res.stderr}`);
  return { orig, inst };
}

function workloadMs(workload, pkgDir, env, repeat) {
  const res = spawnSync(process.execPath, [join(WORKLOADS, workload), pkgDir, "--repeat", String(repeat)], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  if (res.status !== 0) throw new Error(`${workload} failed: ${res.stderr}`);
  return median(JSON.parse(res.stdout.trim().split("\n").pop()).ms);
}

function benchOverhead(tscLib) {
  const cases = [
    ["semver", "semver.mjs", {}, 4],
    ["marked", "marked.mjs", {}, 3],
    ["mnemonist", "mnemonist.mjs", {}, 4],
    ["async", "async.mjs", { "__differential__/tasks.js": join(WORKLOADS, "async-tasks.cjs") }, 4],
  ];
  for (const [name, workload, extra, repeat] of cases) {
    const { orig, inst } = copyInstrumented(name, extra);
    const a = [];
    const b = [];
    for (let round = 0; round < ROUNDS; round++) {
      b.push(workloadMs(workload, orig, {}, repeat));
      a.push(workloadMs(workload, inst, { FUNCTRACE: "off" }, repeat));
    }
    row(`${name} workload, instrumented FUNCTRACE=off vs original`, "ms", a, b);
  }
  if (tscLib) benchCompiler(tscLib);
}

function benchCompiler(tscLib) {
  const project = join(dir, "project");
  const ts = require("typescript");
  const src = readFileSync(join(ROOT, "test", "codemod", "differential", "tsc-project.ts"), "utf8");
  const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const mod = { exports: {} };
  new Function("module", "exports", js)(mod, mod.exports);
  for (const [rel, text] of Object.entries(mod.exports.FILES)) {
    mkdirSync(dirname(join(project, rel)), { recursive: true });
    writeFileSync(join(project, rel), text);
  }
  const run = (tsc, env) => measured([tsc, "-p", ".", "--outDir", "out"], project, env).s;
  const a = [];
  const b = [];
  for (let round = 0; round < ROUNDS; round++) {
    b.push(run(join(NM, "typescript-5.9.3", "lib", "tsc.js"), {}));
    a.push(run(join(tscLib, "tsc.js"), { FUNCTRACE: "off" }));
  }
  row("tsc -p (small project), instrumented _tsc.js FUNCTRACE=off vs original", "s", a, b);
}

try {
  if (!JSON_OUT)
    console.log(
      `functrace-gen scale (${ROUNDS} rounds; median, min, baseline of the same run, ratio = median / baseline)`,
    );
  const tscLib = ONLY.includes("tsc") ? benchTsc() : undefined;
  if (ONLY.includes("tree")) benchTree();
  if (ONLY.includes("overhead")) benchOverhead(tscLib);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
