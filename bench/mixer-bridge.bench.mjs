// Per-span cost of the span bridge (functrace/mixer-bridge), side by side with the native Zipkin
// exporter, in one run, against the BUILT files:
//   npm run build && node bench/mixer-bridge.bench.mjs [--rounds 5] [--spans 40000] [--json]
// (FUNCTRACE_DIST=/path/to/dist/cjs overrides where the build is read from.)
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

async function run(make) {
  const exporter = await make();
  ft.configure({ exporters: [exporter], batch: { maxQueueSize: CHUNK * 4, maxExportBatchSize: 2048 } });
  let spans = 0;
  const start = performance.now();
  while (spans < SPANS) {
    for (let inChunk = 0; inChunk < CHUNK; inChunk += FANOUT + 1) parent(inChunk);
    spans += Math.ceil(CHUNK / (FANOUT + 1)) * (FANOUT + 1);
    await ft.flush();
  }
  const ms = performance.now() - start;
  const [stats] = ft.getExportStats();
  if (stats.dropped > 0 || stats.exported !== spans) throw new Error(`${exporter.name}: exported ${stats.exported} of ${spans} spans, dropped ${stats.dropped}`);
  if (exporter.stats && exporter.stats.spans !== spans) throw new Error(`mixer routed ${exporter.stats.spans} of ${spans} spans`);
  ft.configure({ exporters: false });
  await ft.shutdown();
  return (ms * 1e6) / spans;
}

const names = Object.keys(CASES);
const results = Object.fromEntries(names.map((n) => [n, []]));
for (let round = 0; round <= ROUNDS; round++) {
  const order = names.map((_, i) => names[(i + round) % names.length]);
  for (const name of order) {
    const ns = await run(CASES[name]);
    if (round > 0) results[name].push(ns); // round 0 warms up
  }
}
if (consumed === 0 || zipkinBytes === 0) throw new Error("nothing was consumed");

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(results[BASELINE]);
const zip = median(results["zipkin (no I/O)"]) - base;
const rows = names.map((name) => {
  const m = median(results[name]);
  return { name: `mixer bridge: ${name}`, unit: "ns/span", median: m, min: Math.min(...results[name]), baseline: `mixer bridge: ${BASELINE}`, ratio: m / base, extra: m - base };
});
if (JSON_OUT) {
  for (const { extra: _e, ...row } of rows) console.log(JSON.stringify(row));
} else {
  console.log(`node ${process.version}, ${SPANS} spans per round and case, ${ROUNDS} rounds (median ns per span; nested = parent + ${FANOUT} leaves)`);
  console.log(`${"case".padEnd(28)} ${"ns/span".padStart(8)} ${"on top of recording".padStart(20)} ${"vs zipkin's extra".padStart(18)}`);
  for (const r of rows) {
    const name = r.name.slice("mixer bridge: ".length);
    const vsZipkin = name === BASELINE ? "" : (r.extra / zip).toFixed(2);
    console.log(`${name.padEnd(28)} ${r.median.toFixed(0).padStart(8)} ${(name === BASELINE ? "" : r.extra.toFixed(0)).padStart(20)} ${vsZipkin.padStart(18)}`);
  }
  const extra = (name) => rows.find((r) => r.name.endsWith(name)).extra;
  const none = extra("no matching rule");
  const dflt = extra("default config");
  console.log(`no matching rule: ${none.toFixed(0)} ns/span on top of recording (goal < 100: ${none < 100 ? "MET" : "MISSED"})`);
  console.log(`default config:   ${dflt.toFixed(0)} ns/span on top of recording (goal < 1000: ${dflt < 1000 ? "MET" : "MISSED"})`);
}
