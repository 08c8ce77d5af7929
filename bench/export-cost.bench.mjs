// Cost per exported span, amortized (record on the hot path + span building + ReadableSpan
// conversion + the exporter's serialization), against a raw OpenTelemetry SDK baseline measured
// in the same run: tracer.startSpan()/end() with a BatchSpanProcessor.
//   npm run build && node bench/export-cost.bench.mjs [--rounds 5] [--calls 40000]
// Both sides get the same two exporters: a no-op one, and Zipkin's own exporter with the
// network send replaced by JSON.stringify of the Zipkin spans (serialization, no I/O).
// Medians of rounds; compare ratios, not absolute numbers (PERF.md: the machines are noisy).
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
// The runtime barrel (dist/cjs/trace/index.js) carries the export API whether or not the root re-exports it yet.
const ft = require(join(process.cwd(), "dist/cjs/trace/index.js"));
const { BasicTracerProvider, BatchSpanProcessor } = require("@opentelemetry/sdk-trace-base");
const { ZipkinExporter } = require("@opentelemetry/exporter-zipkin");

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ROUNDS = arg("rounds", 5);
const CALLS = arg("calls", 40000);
const CHUNK = 4096;

const noopExporter = () => ({ export: (spans, done) => done({ code: 0 }), shutdown: async () => {}, forceFlush: async () => {} });
let serializedBytes = 0;
function serializingExporter() {
  const exporter = new ZipkinExporter({ url: "http://127.0.0.1:9/api/v2/spans", serviceName: "bench" });
  exporter._send = (zipkinSpans, done) => {
    serializedBytes += JSON.stringify(zipkinSpans).length;
    done({ code: 0 });
  };
  return exporter;
}

/** What the codemod emits around a function body. */
const T = ft.__ft;
function leaf(x) {
  const t = T.enter("bench.leaf", "bench/export-cost.bench.mjs", 33);
  try {
    return x + 1;
  } catch (e) {
    T.fail(t, e);
    throw e;
  } finally {
    T.exit(t);
  }
}

async function runFunctrace(exporter) {
  ft.configure({ exporters: [{ type: "otel", exporter }], batch: { maxQueueSize: CHUNK * 2, maxExportBatchSize: 512 } });
  const start = performance.now();
  let sink = 0;
  for (let done = 0; done < CALLS; done += CHUNK) {
    for (let i = 0; i < CHUNK; i++) sink += leaf(i);
    await ft.flush();
  }
  const ns = ((performance.now() - start) * 1e6) / (Math.ceil(CALLS / CHUNK) * CHUNK);
  const [stats] = ft.getExportStats();
  if (stats.dropped > 0 || sink === 0) throw new Error(`functrace dropped ${stats.dropped} spans`);
  ft.configure({ exporters: false });
  await ft.shutdown();
  return ns;
}

async function runSdk(exporter) {
  const provider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: CHUNK * 2, maxExportBatchSize: 512, scheduledDelayMillis: 1e9 })],
  });
  const tracer = provider.getTracer("bench");
  const start = performance.now();
  for (let done = 0; done < CALLS; done += CHUNK) {
    for (let i = 0; i < CHUNK; i++) tracer.startSpan("bench.leaf").end();
    await provider.forceFlush();
  }
  const ns = ((performance.now() - start) * 1e6) / (Math.ceil(CALLS / CHUNK) * CHUNK);
  await provider.shutdown();
  return ns;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cases = {
  "sdk startSpan/end, no-op exporter": () => runSdk(noopExporter()),
  "functrace, no-op exporter": () => runFunctrace(noopExporter()),
  "sdk startSpan/end, zipkin serialization": () => runSdk(serializingExporter()),
  "functrace, zipkin serialization": () => runFunctrace(serializingExporter()),
};
const results = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let round = 0; round < ROUNDS + 1; round++) {
  for (const [name, fn] of Object.entries(cases)) {
    const ns = await fn();
    if (round > 0) results[name].push(ns); // round 0 warms up
  }
}
console.log(`node ${process.version}, ${CALLS} calls per round, ${ROUNDS} rounds (median ns per exported span)`);
for (const [name, xs] of Object.entries(results)) console.log(`${name.padEnd(42)} ${median(xs).toFixed(0).padStart(6)} ns`);
const ratio = (a, b) => (median(results[a]) / median(results[b])).toFixed(2);
console.log(`functrace / sdk, no-op exporter:          ${ratio("functrace, no-op exporter", "sdk startSpan/end, no-op exporter")}`);
console.log(`functrace / sdk, zipkin serialization:    ${ratio("functrace, zipkin serialization", "sdk startSpan/end, zipkin serialization")}`);
if (serializedBytes === 0) throw new Error("nothing was serialized");
