// Prints the README's performance table from a results.json: node bench/readme-table.mjs bench/results.json
import { readFileSync } from "node:fs";
import { processSpread } from "./lib/budgets.mjs";
const res = JSON.parse(readFileSync(process.argv[2], "utf8"));
// columns in run order; a column is a binary and its flags ("v22.23.5 --experimental-async-context-frame")
const nodes = res.machine.nodes?.length ? res.machine.nodes.map((n) => n.node) : [...new Set(res.rows.map((r) => r.node))];
const find = (node, name) => res.rows.find((r) => r.node === node && r.name === name && r.status);
const cell = (r) => (r ? `${r.budgetFigure ?? ""} ${r.status === "met" ? "met" : "**missed**"}` : "—");
const spread = (r) => (processSpread(r) ? ` (${processSpread(r)})` : "");
const M = (w, mode) => `${w} · ${mode}`;
const fib = "fib(25)", mega = "megamorphic call", marked = "marked: render 19 docs (283 KiB)", semver = "semver: 28 versions x 14 ranges", asy = "async: 100 concurrent chains x 10 steps", chunk = "export per span: 512 calls per event-loop turn";
const patho = 'marked: pathological parse (5000 unclosed "*a")';
const rows = [
  ["`FUNCTRACE=off`, fib(25) / marked / semver / async", [fib, marked, semver, asy].map((w) => M(w, "instrumented, FUNCTRACE=off")), "≤ 1.05×"],
  ["`--conditions=functrace-off`, fib(25) / marked / semver / async", [fib, marked, semver, asy].map((w) => M(w, "instrumented, --conditions=functrace-off")), "≤ 1.05×"],
  ["nothing configured (`FUNCTRACE` unset, no sink), fib(25) / marked / semver / async", [fib, marked, semver, asy].map((w) => M(w, "instrumented, nothing configured")), "≤ 1.05×"],
  ["`--remove`d, fib / marked / semver / async", [fib, marked, semver, asy].map((w) => M(w, "instrumented then --remove")), "byte-identical"],
  ["A/A control: the `--remove`d copy timed against the original, fib / marked / semver (what the no-op rows' noise is)", [fib, marked, semver].map((w) => M(w, "instrumented then --remove")), "none (≈ 1.00×)", (r) => `${r.ratio.toFixed(2)}×${spread(r)}`],
  ["recording (RingRecorder), fib(25) / megamorphic: floor ratio and njsTrace", [fib, mega].map((w) => M(w, "enabled, recording only (RingRecorder)")), "≤ 1.5× floor; ≥ 30× faster than njsTrace"],
  ["recording (RingRecorder), marked / semver", [marked, semver].map((w) => M(w, "enabled, recording only (RingRecorder)")), "≤ 1.5× floor (same code, same process)"],
  ["binary recording (`FUNCTRACE=record`), fib(25) / megamorphic", [fib, mega].map((w) => M(w, "enabled, binary recording to a file (FUNCTRACE=record)")), "≤ 1.5× floor; ≥ 30× faster than njsTrace"],
  ["binary recording (`FUNCTRACE=record`), marked / semver", [marked, semver].map((w) => M(w, "enabled, binary recording to a file (FUNCTRACE=record)")), "≤ 1.5× floor (same code, same process)"],
  ["pathological parse (marked, 5000 unclosed `*a`) with recording", [M(patho, "enabled, binary recording to a file (FUNCTRACE=record)")], "≤ 1.5× uninstrumented"],
  ["tree printer, per call, fib(25) / megamorphic / marked / semver / async", [fib, mega, marked, semver, asy].map((w) => M(w, "enabled, tree printer to a file")), "≤ 400 ns"],
  ["export Zipkin per span vs an OTel SDK span: fib / megamorphic / 512 per turn / marked / semver / async", [fib, mega, chunk, marked, semver, asy].map((w) => M(w, "enabled, export Zipkin (local receiver)")), "≥ 3× cheaper"],
  ["export OTLP (native) per span vs an OTel SDK span: fib / megamorphic / 512 per turn / marked / semver / async", [fib, mega, chunk, marked, semver, asy].map((w) => M(w, "enabled, export OTLP/HTTP (local receiver)")), "≥ 3× cheaper"],
  ["export cost vs SDK span, nested: zipkin / otlp protobuf / otlp json", ["zipkin", "otlp protobuf", "otlp json"].map((e) => `export cost: nested: functrace, native ${e}`), "≥ 3× cheaper"],
  ["export cost vs SDK span, root flow: zipkin / otlp protobuf / otlp json", ["zipkin", "otlp protobuf", "otlp json"].map((e) => `export cost: root: functrace, native ${e}`), "≥ 3× cheaper"],
  ["1M calls/s for 30 s, Zipkin, receiver answering after 2 s: peak RSS over the program's / bounded", ["memory: 1M calls/s for 30 s · export Zipkin, receiver answers after 2 s: peak RSS", "memory: 1M calls/s for 30 s · export Zipkin, receiver answers after 2 s: bounded?"], "≤ +16 MB / bounded"],
  ["codemod: 2,004 files (221k lines)", ["codemod: tree of 2004 files (221k lines) · functrace-gen -w"], "> 100k lines/s"],
  ["codemod: `_tsc.js` (134k lines): seconds / peak RSS", ["codemod: typescript@5.9.3 lib/_tsc.js (134k lines) · functrace-gen -w: seconds", "codemod: typescript@5.9.3 lib/_tsc.js (134k lines) · functrace-gen -w: peak RSS"], "< 2 s / < 500 MB"],
  ["Mixer report path: no rule / one metric rule", ["Mixer report path: a1 no Report rule (fast path)", "Mixer report path: b  one metric rule, 3 dims -> no-op"], "< 10 ns / < 300 ns"],
];
let md = `| measure | ${nodes.map((n) => `Node ${n}`).join(" | ")} | budget |\n|---|${nodes.map(() => "---|").join("")}---|\n`;
// a row's own cell writer (informative rows: a figure, no met/missed)
for (const [label, names, budget, show] of rows) md += `| ${label} | ${nodes.map((n) => names.map((x) => { const r = find(n, x); return r && show ? show(r) : cell(r); }).join(" / ")).join(" | ")} | ${budget} |\n`;
const tally = nodes.map((n) => { const rs = res.rows.filter((r) => r.node === n && r.status); return `Node ${n.replace(/^v(\d+)\S*/, "$1")} ${rs.filter((r) => r.status === "met").length} of ${rs.length}`; });
md += `\nBudgets met: ${tally.join(", ")}.\n`;
process.stdout.write(md);
