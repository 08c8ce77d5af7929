// Per-span cost of the span bridge (functrace/mixer-bridge), side by side with the native Zipkin
// exporter, in one run, against the BUILT files:
//   npm run build && node bench/mixer-bridge.bench.mjs [--rounds 5] [--spans 40000] [--fresh] [--json]
// (FUNCTRACE_DIST=/path/to/dist/cjs overrides where the build is read from.)
// Each case keeps ONE exporter for the whole run (what a long-running program has: one
// exporter for its lifetime, its dispatcher, handlers and generated builders warm); the
// pipeline is configured again each round. --fresh builds a new exporter every round instead
// (so every round pays config load and JIT warm-up again: the old behaviour).
// Two figures per case: wall time, and CPU time of the process (process.cpuUsage(): user +
// system, all threads, so GC helper threads count) -- wall time on a shared 2-core machine
// swings 2x with the neighbours, CPU time much less.
// The traced program is the export-cost "nested" shape: a traced parent calling a traced leaf
// 16 times. Cases (interleaved round by round, order rotating; medians of the rounds):
//   recording only          the export pipeline with an exporter that reads nothing: the hot
//                           path (enter/exit, columns) plus batching; the baseline
//   zipkin (no I/O)         the native Zipkin exporter, JSON encoded from the columns, POST
//                           replaced by reading the body
//   mixer, no matching rule the bridge with one rule whose match is false for every span
//   mixer, default config   the shipped default config (counter + histogram with exemplars
//                           per function, error and slow-call rules), /metrics endpoint off
// "on top of recording" = case − baseline. Goals: no matching rule < 100 ns/span, default
// config < 1 µs/span. Every round checks that every span was exported and none dropped.
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const dist = process.env.FUNCTRACE_DIST ?? join(process.cwd(), "dist/cjs");
const ft = require(join(dist, "trace/index.js"));
const { ZipkinJsonExporter } = require(join(dist, "trace/export/zipkin/zipkin-exporter.js"));
const { createMixerExporter } = require(join(dist, "mixer-bridge/index.js"));

const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const JSON_OUT = argv.includes("--json");
const FRESH = argv.includes("--fresh");
const ROUNDS = arg("rounds", 5);
const SPANS = arg("spans", 40000);
const CHUNK = 4096;
const FANOUT = 16;

const T = ft.__ft;
function leaf(x) {
  const t = T.enter("bench.leaf", "bench/mixer-bridge.bench.mjs", 40);
  try {
    return x + 1;
  } catch (e) {
    T.fail(t, e);
    throw e;
  } finally {
    T.exit(t);
  }
}
function parent(x) {
  const t = T.enter("bench.parent", "bench/mixer-bridge.bench.mjs", 51);
  try {
    let acc = 0;
    for (let i = 0; i < FANOUT; i++) acc += leaf(x + i);
    return acc;
  } catch (e) {
    T.fail(t, e);
    throw e;
  } finally {
    T.exit(t);
  }
}

let consumed = 0;
/** Reads nothing: what the pipeline costs by itself. */
const recordingOnly = () => ({ name: "recording", encodeColumns: (b, from, to) => ((consumed += to - from), new Uint8Array(0)), send: () => undefined, export: () => undefined });
let zipkinBytes = 0;
const zipkin = () => new ZipkinJsonExporter({ serviceName: "bench", post: (body) => void (zipkinBytes += body.length) });
const NO_MATCH = [
  { kind: "handler", metadata: { name: "nothing" }, spec: { compiledAdapter: "noop" } },
  { kind: "instance", metadata: { name: "calls" }, spec: { compiledTemplate: "metric", params: { value: "1", dimensions: { function: "span.name" } } } },
  { kind: "rule", metadata: { name: "never" }, spec: { match: 'span.name == "no.such.function"', actions: [{ handler: "nothing", instances: ["calls"] }] } },
];

const CASES = {
  "recording only": async () => recordingOnly(),
  "zipkin (no I/O)": async () => zipkin(),
  "mixer, no matching rule": () => createMixerExporter({ resources: NO_MATCH }),
  "mixer, default config": () => createMixerExporter({ metricsAddress: "" }),
};
const BASELINE = "recording only";

/** The pipeline sees this wrapper: its shutdown does not reach the exporter kept across rounds. */
function keep(exporter) {
  return {
    name: exporter.name,
    encodeColumns: (b, from, to) => exporter.encodeColumns(b, from, to),
    send: (payload) => exporter.send(payload),
    export: (spans) => exporter.export(spans),
  };
}
const kept = new Map();

async function run(name) {
  let exporter;
  if (FRESH) exporter = await CASES[name]();
  else {
    if (!kept.has(name)) kept.set(name, await CASES[name]());
    exporter = kept.get(name);
  }
  const routedBefore = exporter.stats?.spans ?? 0;
  ft.configure({ exporters: [FRESH ? exporter : keep(exporter)], batch: { maxQueueSize: CHUNK * 4, maxExportBatchSize: 2048 } });
  let spans = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  while (spans < SPANS) {
    for (let inChunk = 0; inChunk < CHUNK; inChunk += FANOUT + 1) parent(inChunk);
    spans += Math.ceil(CHUNK / (FANOUT + 1)) * (FANOUT + 1);
    await ft.flush();
  }
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const [stats] = ft.getExportStats();
  if (stats.dropped > 0 || stats.exported !== spans) throw new Error(`${exporter.name}: exported ${stats.exported} of ${spans} spans, dropped ${stats.dropped}`);
  if (exporter.stats && exporter.stats.spans - routedBefore !== spans) throw new Error(`mixer routed ${exporter.stats.spans - routedBefore} of ${spans} spans`);
  ft.configure({ exporters: false });
  await ft.shutdown();
  return { wall: (ms * 1e6) / spans, cpu: ((cpu.user + cpu.system) * 1e3) / spans };
}

const names = Object.keys(CASES);
const results = Object.fromEntries(names.map((n) => [n, { wall: [], cpu: [] }]));
for (let round = 0; round <= ROUNDS; round++) {
  const order = names.map((_, i) => names[(i + round) % names.length]);
  for (const name of order) {
    const r = await run(name);
    if (round > 0) {
      // round 0 warms up
      results[name].wall.push(r.wall);
      results[name].cpu.push(r.cpu);
    }
  }
}
for (const exporter of kept.values()) await exporter.shutdown?.();
if (consumed === 0 || zipkinBytes === 0) throw new Error("nothing was consumed");

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const figures = (metric) => {
  const base = median(results[BASELINE][metric]);
  const zip = median(results["zipkin (no I/O)"][metric]) - base;
  return Object.fromEntries(
    names.map((name) => {
      const m = median(results[name][metric]);
      return [name, { median: m, min: Math.min(...results[name][metric]), ratio: m / base, extra: m - base, vsZipkin: (m - base) / zip }];
    }),
  );
};
const wall = figures("wall");
const cpu = figures("cpu");
if (JSON_OUT) {
  for (const name of names) {
    const w = wall[name];
    const c = cpu[name];
    console.log(JSON.stringify({ name: `mixer bridge: ${name}`, unit: "ns/span", median: w.median, min: w.min, baseline: `mixer bridge: ${BASELINE}`, ratio: w.ratio, cpu: c.median, cpuMin: c.min, cpuRatio: c.ratio }));
  }
} else {
  console.log(`node ${process.version}, ${SPANS} spans per round and case, ${ROUNDS} rounds, ${FRESH ? "a new exporter every round" : "one exporter per case, kept warm across rounds"} (median ns per span; nested = parent + ${FANOUT} leaves)`);
  console.log(`${"".padEnd(28)} ${"wall".padStart(8)} ${"".padStart(8)} ${"".padStart(7)}   ${"cpu".padStart(8)} ${"".padStart(8)} ${"".padStart(7)}`);
  console.log(`${"case".padEnd(28)} ${"ns/span".padStart(8)} ${"extra".padStart(8)} ${"vs zip".padStart(7)}   ${"ns/span".padStart(8)} ${"extra".padStart(8)} ${"vs zip".padStart(7)}`);
  for (const name of names) {
    const cells = (f) => {
      const r = f[name];
      const isBase = name === BASELINE;
      return `${r.median.toFixed(0).padStart(8)} ${(isBase ? "" : r.extra.toFixed(0)).padStart(8)} ${(isBase ? "" : r.vsZipkin.toFixed(2)).padStart(7)}`;
    };
    console.log(`${name.padEnd(28)} ${cells(wall)}   ${cells(cpu)}`);
  }
  console.log('"extra" = on top of recording (case - "recording only"); "vs zip" = extra / the Zipkin exporter\'s extra');
  for (const [label, key, goal] of [["no matching rule", "mixer, no matching rule", 100], ["default config", "mixer, default config", 1000]]) {
    const w = wall[key].extra;
    const c = cpu[key].extra;
    console.log(`${(label + ":").padEnd(18)} ${w.toFixed(0)} ns/span wall, ${c.toFixed(0)} ns/span CPU on top of recording (goal < ${goal}: ${w < goal && c < goal ? "MET" : w < goal || c < goal ? "MET on one of the two" : "MISSED"})`);
  }
}
