// What a filtered-out call costs, against an uninstrumented baseline and an unfiltered,
// exported call measured in the same run.
//   npm run build && node bench/filter-cost.bench.mjs [--rounds 7] [--calls 200000] [--json]
// Every case runs the same leaf function CALLS times inside one traced parent call (the usual
// shape: helpers called from traced code), with the memory exporter installed and flushed per
// chunk, so "unfiltered" includes building the exported spans. Medians of rounds, ns per call.
// (Filters are reset with include ["*"] and a huge maxDepth: configure() keeps a field given as undefined.)
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
// The runtime barrel (dist/cjs/trace/index.js) carries the export API whether or not the root re-exports it yet.
const ft = require(join(process.cwd(), "dist/cjs/trace/index.js"));
const T = ft.__ft;

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const JSON_OUT = process.argv.includes("--json");
const ROUNDS = arg("rounds", 7);
const CALLS = arg("calls", 200000);
const CHUNK = 4096;

function plainLeaf(x) {
  return (x * 31) ^ (x >>> 3);
}
/** The same function as the codemod instruments it. */
function leaf(x) {
  const t = T.enter("bench.leaf", "bench/filter-cost.bench.mjs", 27);
  try {
    return (x * 31) ^ (x >>> 3);
  } catch (e) {
    T.fail(t, e);
    throw e;
  } finally {
    T.exit(t);
  }
}
function chunk(fn) {
  const t = T.enter("bench.chunk", "bench/filter-cost.bench.mjs", 39);
  try {
    let acc = 0;
    for (let i = 0; i < CHUNK; i++) acc += fn(i);
    return acc;
  } finally {
    T.exit(t);
  }
}

async function measure(fn, filters, expectExported) {
  ft.configure({ exporters: ["memory"], batch: { maxQueueSize: CHUNK * 2 }, include: ["*"], exclude: [], maxDepth: 1e9, sampleRatio: 1, minDurationMs: 0, ...filters });
  const memory = ft.getExporters()[0];
  const start = performance.now();
  let acc = 0;
  let exported = 0;
  for (let done = 0; done < CALLS; done += CHUNK) {
    acc += chunk(fn);
    await ft.flush();
    exported += memory.spans.length;
    memory.reset();
  }
  if (expectExported !== undefined && exported !== expectExported()) throw new Error(`exported ${exported} spans, expected ${expectExported()}`);
  const ns = ((performance.now() - start) * 1e6) / (Math.ceil(CALLS / CHUNK) * CHUNK);
  if (ft.getExportStats()[0].dropped > 0 || acc === 0.5) throw new Error("spans dropped");
  ft.configure({ exporters: false });
  return ns;
}

const cases = {
  "uninstrumented": () => measure(plainLeaf, {}),
  "unfiltered (exported)": () => measure(leaf, {}, () => Math.ceil(CALLS / CHUNK) * (CHUNK + 1)),
  "filtered out: exclude pattern": () => measure(leaf, { exclude: ["bench.le*"] }, () => Math.ceil(CALLS / CHUNK)),
  "filtered out: include pattern": () => measure(leaf, { include: ["bench.chunk"] }),
  "filtered out: maxDepth 1": () => measure(leaf, { maxDepth: 1 }),
  "filtered out: sampleRatio 0": () => measure(leaf, { sampleRatio: 0 }),
  "not exported: minDurationMs 1": () => measure(leaf, { minDurationMs: 1 }),
};
const results = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let round = 0; round <= ROUNDS; round++) {
  for (const [name, fn] of Object.entries(cases)) {
    const ns = await fn();
    if (round > 0) results[name].push(ns); // round 0 warms up
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(results.uninstrumented);
if (JSON_OUT) {
  // One row per line for bench/run.mjs: {name, unit, median, min, baseline, ratio}.
  for (const [name, xs] of Object.entries(results)) {
    const isBase = name === "uninstrumented";
    console.log(JSON.stringify({ name: `filter cost: ${name}`, unit: "ns/call", median: median(xs), min: Math.min(...xs), baseline: isBase ? null : "filter cost: uninstrumented", ratio: isBase ? null : median(xs) / base }));
  }
} else {
  console.log(`node ${process.version}, ${CALLS} calls per round, ${ROUNDS} rounds (median ns per call; extra = minus uninstrumented)`);
  for (const [name, xs] of Object.entries(results)) {
    const m = median(xs);
    console.log(`${name.padEnd(34)} ${m.toFixed(1).padStart(8)} ns   extra ${(m - base).toFixed(1).padStart(7)} ns`);
  }
}
await ft.shutdown();
