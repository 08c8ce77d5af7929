// Group "codemod": functrace-gen throughput on a tree of ordinary files (the 13 installed
// packages of bench/codemod-scale.bench.mjs, ~2,000 files: lines per second) and seconds + peak
// memory on lib/_tsc.js of typescript@5.9.3 (134k lines). Each run is a fresh
// process on a fresh copy; the baseline is the TypeScript parser alone over the same files, in
// a fresh process too, measured in the same run.
//   node bench/groups/codemod.mjs --mode run --dir <scratch>
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { arg, emit, median, quick, row } from "../lib/harness.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dir = arg("dir");
const RUNS = quick ? 1 : 3;
// the tree of the "> 100k lines/s" budget: the same packages as bench/codemod-scale.bench.mjs
const TREE = ["semver", "mnemonist", "async", "commander", "yaml", "ajv", "@opentelemetry", "diff", "picomatch", "prom-client", "hot-shots", "cli-progress", "ignore"];
const NM = join(ROOT, "node_modules");

/** Lines as the codemod-scale bench counts them (a last line without a newline counts). */
function countLines(files) {
  let lines = 0;
  for (const f of files) {
    const t = readFileSync(f, "utf8");
    for (let i = t.indexOf("\n"); i >= 0; i = t.indexOf("\n", i + 1)) lines++;
    if (t.length > 0 && !t.endsWith("\n")) lines++;
  }
  return lines;
}

function copyTree(to) {
  rmSync(to, { recursive: true, force: true });
  for (const p of TREE) cpSync(join(NM, p), join(to, p), { recursive: true, dereference: true, filter: (src) => !src.slice(join(NM, p).length).includes("/node_modules/") });
}

/** Runs node with args in a fresh process; returns { secs, maxRssMiB, out }. */
function timed(args, cwd) {
  const t0 = process.hrtime.bigint();
  const res = spawnSync(process.execPath, ["--require", join(ROOT, "bench/lib/maxrss-preload.cjs"), ...args], { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (res.status !== 0) throw new Error(`${args.join(" ")} failed (${res.status}): ${res.stderr.slice(-2000)}`);
  const rss = /@@FT-MAXRSS@@(\d+)/.exec(res.stderr);
  return { secs, maxRssMiB: rss ? Number(rss[1]) / 1024 : NaN, out: (res.stdout + res.stderr).trim().split("\n").filter((l) => l.startsWith("functrace-gen"))[0] };
}

function series(prepareRun, args, cwd) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    prepareRun();
    runs.push(timed(args, cwd));
  }
  return { secs: median(runs.map((r) => r.secs)), minSecs: Math.min(...runs.map((r) => r.secs)), rss: median(runs.map((r) => r.maxRssMiB)), out: runs[0].out };
}

const GEN = join(dir, "pkg/bin/functrace-gen.js"); // the snapshot of the built package
const PARSE = join(ROOT, "bench/lib/parse-only.cjs");

// 1. a tree of ordinary files: the files the codemod itself discovers there (its default
// excludes apply), counted and parsed by the baseline over exactly that list
const tree = join(dir, "codemod-tree");
copyTree(tree);
const { discover } = createRequire(import.meta.url)(join(dir, "pkg/dist/cjs/codemod/discover.js"));
const found = discover(["."], { cwd: tree }).files.map((f) => resolve(tree, f));
const listFile = join(dir, "codemod-tree-files.txt");
writeFileSync(listFile, found.join("\n") + "\n");
const lines = countLines(found);
const files = found.length;
const parse = series(() => {}, [PARSE, "--list", listFile], tree);
const gen = series(() => copyTree(tree), [GEN, "-w", "."], tree);
process.stderr.write(`    tree: ${files} files, ${lines} lines; ${gen.out}\n`);
const title = `codemod: tree of ${files} files (${Math.round(lines / 1000)}k lines)`;
row({ group: "codemod", workload: title, mode: "base", name: `${title} · TypeScript parse only`, unit: "lines/s", median: lines / parse.secs, min: lines / parse.secs, ratio: 1, baseline: "itself", seconds: parse.secs, peakRssMiB: parse.rss });
row({
  group: "codemod", workload: title, mode: "gen", name: `${title} · functrace-gen -w`, unit: "lines/s", median: lines / gen.secs, min: lines / gen.secs,
  ratio: parse.secs / gen.secs, baseline: `${title} · TypeScript parse only (throughput ratio)`, seconds: gen.secs, minSeconds: gen.minSecs, peakRssMiB: gen.rss, summary: gen.out,
});

// 2. lib/_tsc.js of typescript@5.9.3
const tscDir = join(dir, "codemod-tsc");
const tscSrc = join(ROOT, "node_modules/typescript-5.9.3/lib/_tsc.js");
const tscLines = readFileSync(tscSrc, "utf8").split("\n").length;
const copyTsc = () => {
  rmSync(tscDir, { recursive: true, force: true });
  mkdirSync(tscDir, { recursive: true });
  cpSync(tscSrc, join(tscDir, "_tsc.js"));
};
copyTsc();
const tParse = series(() => {}, [PARSE, "_tsc.js"], tscDir);
const tGen = series(copyTsc, [GEN, "-w", "_tsc.js"], tscDir);
process.stderr.write(`    _tsc.js: ${tGen.out}\n`);
const tt = `codemod: typescript@5.9.3 lib/_tsc.js (${Math.round(tscLines / 1000)}k lines)`;
row({ group: "codemod", workload: tt, mode: "base", name: `${tt} · TypeScript parse only`, unit: "s", median: tParse.secs, min: tParse.secs, ratio: 1, baseline: "itself", peakRssMiB: tParse.rss });
row({ group: "codemod", workload: tt, mode: "gen", name: `${tt} · functrace-gen -w: seconds`, unit: "s", median: tGen.secs, min: tGen.minSecs, ratio: tGen.secs / tParse.secs, baseline: `${tt} · TypeScript parse only`, peakRssMiB: tGen.rss, summary: tGen.out });
row({ group: "codemod", workload: tt, mode: "gen-rss", name: `${tt} · functrace-gen -w: peak RSS`, unit: "MiB", median: tGen.rss, min: tGen.rss, ratio: tGen.rss / tParse.rss, baseline: `${tt} · TypeScript parse only, peak RSS` });
rmSync(tree, { recursive: true, force: true });
rmSync(tscDir, { recursive: true, force: true });
emit();
