// Cost per exported span, amortized (record on the hot path + span building + serialization),
// against a raw OpenTelemetry SDK baseline measured in the same run: tracer.startSpan()/end()
// with a BatchSpanProcessor.
//   npm run build && node bench/export-cost.bench.mjs [--rounds 5] [--spans 40000] [--json]
// Two shapes: "nested" (a traced parent calling a traced leaf in a loop of 16: the common case)
// and "root" (every call a new root flow: a new trace per call, the worst case). Per shape:
//   sdk, no-op exporter             startSpan/end + BatchSpanProcessor, exporter does nothing
//   sdk, zipkin serialization       the same with the SDK's ZipkinExporter, network replaced by
//                                   JSON.stringify of its Zipkin spans (serialization, no I/O)
//   functrace, native zipkin        the `zipkin` exporter: JSON encoded from the columns, the
//                                   HTTP POST replaced by reading the body (no I/O)
//   functrace, native otlp protobuf / json   the `otlp` exporter (http/protobuf, http/json):
//                                   OTLP encoded from the columns, the POST replaced (no I/O)
//   functrace via sdk, no-op / zipkin serialization   { type: "otel", exporter }: ReadableSpans
//                                   built at export time and handed to the same SDK exporters
// The budget (issue 14): functrace's Zipkin and OTLP export (serialization included) at least 3x
// cheaper than an SDK span with a no-op exporter of the same shape (bench/lib/budgets.mjs); the
// ratio against the SDK's own Zipkin serialization is printed too.
// Medians of rounds; compare ratios, not absolute numbers (PERF.md: the machines are noisy).
// --json prints one row per line: {name, unit, median, min, baseline, ratio}.
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
// The runtime barrel (dist/cjs/trace/index.js) carries the export API whether or not the root re-exports it yet.
const ft = require(join(process.cwd(), "dist/cjs/trace/index.js"));
// Absent from builds older than the native encoder: those rows are then skipped (before/after runs).
let ZipkinJsonExporter = null;
try {
  ({ ZipkinJsonExporter } = require(join(process.cwd(), "dist/cjs/trace/export/zipkin/zipkin-exporter.js")));
} catch {
  console.error("no native zipkin exporter in this build: its rows are skipped");
}
let OtlpExporter = null;
try {
  ({ OtlpExporter } = require(join(process.cwd(), "dist/cjs/trace/export/otlp/otlp-exporter.js")));
} catch {
  console.error("no native otlp exporter in this build: its rows are skipped");
}
const { BasicTracerProvider, BatchSpanProcessor } = require("@opentelemetry/sdk-trace-base");
const { ZipkinExporter } = require("@opentelemetry/exporter-zipkin");
const { trace, ROOT_CONTEXT } = require("@opentelemetry/api");

const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const JSON_OUT = argv.includes("--json");
const ROUNDS = arg("rounds", 5);
const SPANS = arg("spans", arg("calls", 40000));
const CHUNK = 4096;
const FANOUT = 16;

const noopExporter = () => ({ export: (spans, done) => done({ code: 0 }), shutdown: async () => {}, forceFlush: async () => {} });
let serializedBytes = 0;
function sdkZipkinExporter() {
  const exporter = new ZipkinExporter({ url: "http://127.0.0.1:9/api/v2/spans", serviceName: "bench" });
  exporter._send = (zipkinSpans, done) => {
    serializedBytes += JSON.stringify(zipkinSpans).length;
    done({ code: 0 });
  };
  return exporter;
}
let nativeBytes = 0;
const nativeZipkin = () => new ZipkinJsonExporter({ serviceName: "bench", post: (body) => void (nativeBytes += body.length) });
let otlpBytes = 0;
const nativeOtlp = (protocol) => new OtlpExporter({ protocol, serviceName: "bench", post: (body) => void (otlpBytes += body.length) });

/** What the codemod emits around a function body. */
const T = ft.__ft;
function leaf(x) {
  const t = T.enter("bench.leaf", "bench/export-cost.bench.mjs", 52);
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
  const t = T.enter("bench.parent", "bench/export-cost.bench.mjs", 63);
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
/** One unit of work per shape, and the spans it exports. */
const FT_SHAPES = { nested: [parent, FANOUT + 1], root: [leaf, 1] };

function sdkUnit(tracer, shape) {
  if (shape === "root") return () => (tracer.startSpan("bench.leaf").end(), 1);
  return () => {
    const p = tracer.startSpan("bench.parent");
    const ctx = trace.setSpan(ROOT_CONTEXT, p);
    for (let i = 0; i < FANOUT; i++) tracer.startSpan("bench.leaf", undefined, ctx).end();
    p.end();
    return FANOUT + 1;
  };
}

/** Runs `unit` (which returns the spans it made) in chunks of about CHUNK spans, flushing after each. */
async function timed(unit, flush) {
  let spans = 0;
  const start = performance.now();
  while (spans < SPANS) {
    let inChunk = 0;
    while (inChunk < CHUNK) inChunk += unit(inChunk);
    spans += inChunk;
    await flush();
  }
  return { ms: performance.now() - start, spans };
}

async function runFunctrace(exporter, shape) {
  // the byte bound lifted: this bench measures the cost of every span exported, not the bound
  ft.configure({ exporters: [exporter], batch: { maxQueueSize: CHUNK * 4, maxExportBatchSize: 512, maxQueuedBytes: 1 << 30 } });
  const [fn, per] = FT_SHAPES[shape];
  const { ms, spans } = await timed((i) => (fn(i), per), () => ft.flush());
  const [stats] = ft.getExportStats();
  if (stats.dropped > 0 || stats.exported !== spans) throw new Error(`functrace exported ${stats.exported} of ${spans} spans, dropped ${stats.dropped}`);
  ft.configure({ exporters: false });
  await ft.shutdown();
  return (ms * 1e6) / spans;
}

async function runSdk(exporter, shape) {
  const provider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: CHUNK * 4, maxExportBatchSize: 512, scheduledDelayMillis: 1e9 })],
  });
  const { ms, spans } = await timed(sdkUnit(provider.getTracer("bench"), shape), () => provider.forceFlush());
  await provider.shutdown();
  return (ms * 1e6) / spans;
}

const CASES = {
  "sdk, no-op exporter": (shape) => runSdk(noopExporter(), shape),
  "sdk, zipkin serialization": (shape) => runSdk(sdkZipkinExporter(), shape),
  ...(ZipkinJsonExporter && { "functrace, native zipkin": (shape) => runFunctrace(nativeZipkin(), shape) }),
  ...(OtlpExporter && {
    "functrace, native otlp protobuf": (shape) => runFunctrace(nativeOtlp("http/protobuf"), shape),
    "functrace, native otlp json": (shape) => runFunctrace(nativeOtlp("http/json"), shape),
  }),
  "functrace via sdk, no-op exporter": (shape) => runFunctrace({ type: "otel", exporter: noopExporter() }, shape),
  "functrace via sdk, zipkin serialization": (shape) => runFunctrace({ type: "otel", exporter: sdkZipkinExporter() }, shape),
};
const BASELINE = {
  "functrace, native zipkin": "sdk, zipkin serialization",
  "functrace, native otlp protobuf": "sdk, no-op exporter",
  "functrace, native otlp json": "sdk, no-op exporter",
  "functrace via sdk, no-op exporter": "sdk, no-op exporter",
  "functrace via sdk, zipkin serialization": "sdk, zipkin serialization",
};

const results = {};
for (const shape of ["nested", "root"]) for (const name of Object.keys(CASES)) results[`${shape}: ${name}`] = [];
for (let round = 0; round <= ROUNDS; round++) {
  for (const shape of ["nested", "root"]) {
    for (const [name, fn] of Object.entries(CASES)) {
      const ns = await fn(shape).catch((e) => { throw new Error(`${shape}: ${name}: ${e.message}`); });
      if (round > 0) results[`${shape}: ${name}`].push(ns); // round 0 warms up
    }
  }
}
if (serializedBytes === 0 || (ZipkinJsonExporter && nativeBytes === 0) || (OtlpExporter && otlpBytes === 0)) throw new Error("nothing was serialized");

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const [key, xs] of Object.entries(results)) {
  const [shape, name] = key.split(": ");
  const base = BASELINE[name] && `${shape}: ${BASELINE[name]}`;
  rows.push({ name: `export cost ${key}`, unit: "ns/span", median: median(xs), min: Math.min(...xs), baseline: base ? `export cost ${base}` : null, ratio: base ? median(xs) / median(results[base]) : null });
}
if (JSON_OUT) {
  for (const row of rows) console.log(JSON.stringify(row));
} else {
  console.log(`node ${process.version}, ${SPANS} spans per round and shape, ${ROUNDS} rounds (median ns per exported span; nested = parent + ${FANOUT} leaves)`);
  for (const row of rows) console.log(`${row.name.slice(12).padEnd(52)} ${row.median.toFixed(0).padStart(6)} ns${row.ratio === null ? "" : `   ratio ${row.ratio.toFixed(2)}`}`);
  for (const shape of ZipkinJsonExporter ? ["nested", "root"] : []) {
    const r = (a, b) => median(results[`${shape}: ${a}`]) / median(results[`${shape}: ${b}`]);
    const zipkin = r("functrace, native zipkin", "sdk, zipkin serialization");
    const strict = r("functrace, native zipkin", "sdk, no-op exporter");
    console.log(`${shape}: functrace zipkin / sdk no-op = ${strict.toFixed(2)} (budget <= 0.33: ${strict <= 1 / 3 ? "MET" : "MISSED"}); / sdk zipkin = ${zipkin.toFixed(2)}`);
  }
  for (const shape of OtlpExporter ? ["nested", "root"] : []) {
    for (const protocol of ["protobuf", "json"]) {
      const ratio = median(results[`${shape}: functrace, native otlp ${protocol}`]) / median(results[`${shape}: sdk, no-op exporter`]);
      console.log(`${shape}: functrace otlp ${protocol} / sdk no-op = ${ratio.toFixed(2)} (budget <= 0.33: ${ratio <= 1 / 3 ? "MET" : "MISSED"})`);
    }
  }
}
