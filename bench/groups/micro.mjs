// Group "micro": call overhead on fib(25) and on a megamorphic call site (and, for the export
// budget, per-span export cost with the event loop turning), in one mode per
// process:  node --expose-gc bench/groups/micro.mjs --mode <mode> --dir <scratch>
// Modes: see lib/modes.mjs, plus the peers: peer-otel, peer-njs, peer-dc.
import { createRequire } from "node:module";
import { join } from "node:path";
import { arg, emit, quick } from "../lib/harness.mjs";
import { measureAgainstBase, runMode } from "../lib/group-runner.mjs";
import { floorTracer, wrapMicro } from "../lib/hand-micro.mjs";
import { EXPORT_BATCH, EXPORT_WARM } from "../lib/modes.mjs";

const require = createRequire(import.meta.url);
const mode = arg("mode");
const dir = arg("dir");
// --quick runs fib(20): same per-call figures, a tenth of the time (the expensive modes make
// 10 µs per call, so one fib(25) is 2.5 s there)
const FIB_N = quick ? 20 : 25;
const fibCalls = (k) => (k < 2 ? 1 : 1 + fibCalls(k - 1) + fibCalls(k - 2));
const CHUNK = 512;
/** mod: a copy of micro.cjs or a hand-written twin ({ fibLoop, megaLoop }). */
const WORKLOADS = [
  { key: "fib", title: `fib(${FIB_N})`, unit: `ns/fib(${FIB_N})`, calls: fibCalls(FIB_N), make: (mod) => (n) => mod.fibLoop(n, FIB_N) },
  { key: "mega", title: "megamorphic call", unit: "ns/call", calls: 1, make: (mod) => mod.megaLoop },
  {
    // the export budget's row: the event loop turns every CHUNK calls, as in a program that does
    // I/O, so the batch processors export while calls go on and no span waits long in a queue
    key: "chunked", title: `export per span: ${CHUNK} calls per event-loop turn`, unit: "ns/turn", calls: CHUNK, modes: ["zipkin", "otlp", "peer-otel"],
    make: (mod) => async (n) => {
      let a = 0;
      for (let i = 0; i < n; i++) {
        a += mod.megaLoop(CHUNK);
        await new Promise(setImmediate);
      }
      return a;
    },
  },
];

const orig = require(join(dir, "orig/micro.cjs"));
for (const w of WORKLOADS) w.load = async (copyDir) => w.make(require(join(copyDir, "micro.cjs")));
const forMode = (m) => WORKLOADS.filter((w) => !w.modes || w.modes.includes(m));

const measure = (w, variants, opts = {}) => measureAgainstBase(w, w.make(orig), variants, { group: "micro", ...opts });

/** In the recording mode, the floor is measured in the same interleaving. */
function floorVariant(w) {
  if (mode !== "rec" && mode !== "record") return [];
  const T = floorTracer();
  const floor = wrapMicro("const t = T.enter(7); try {", "} finally { T.exit(t); }", { T });
  return [{ key: "floor", mode: "floor", label: "floor: 2 clock reads + ring-buffer write (hand-written)", fn: w.make(floor), calls: w.calls }];
}

async function peerOtel() {
  const api = require("@opentelemetry/api");
  const { BasicTracerProvider, BatchSpanProcessor } = require("@opentelemetry/sdk-trace-base");
  const { AsyncLocalStorageContextManager } = require("@opentelemetry/context-async-hooks");
  let exported = 0;
  const exporter = { export(spans, cb) { exported += spans.length; cb({ code: 0 }); }, shutdown: () => Promise.resolve(), forceFlush: () => Promise.resolve() };
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // same queue as the functrace export rows: nothing dropped, every span paid for
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 1 << 20 })] });
  const tracer = provider.getTracer("bench");
  const otel = wrapMicro('const s = tracer.startSpan("f"); try {', "} finally { s.end(); }", { tracer });
  const flushAfter = (fn) => async (n) => { const v = fn(n); await provider.forceFlush(); return v; };
  for (const w of forMode("peer-otel")) {
    await measure(w, [{ key: "otel", mode: "peer-otel", label: "peer: OpenTelemetry SDK startSpan/end, BatchSpanProcessor, no-op exporter", fn: w.make(otel) }], {
      clock: "cpu", wrap: flushAfter, info: async () => ({ exported }), minCalls: EXPORT_BATCH, warmCalls: EXPORT_WARM,
    });
  }
  await provider.shutdown();
}

async function peerNjs() {
  const Formatter = require("njstrace/lib/formatter.js");
  function Nop() {}
  require("node:util").inherits(Nop, Formatter);
  Nop.prototype.onEntry = function () {};
  Nop.prototype.onExit = function () {};
  process.chdir(join(dir, "orig")); // njsTrace matches files relative to the working directory
  const njs = require("njstrace").inject({ files: ["njs/*.cjs"], formatter: new Nop(), logger: false });
  require("node:fs").mkdirSync(join(dir, "orig/njs"), { recursive: true });
  require("node:fs").copyFileSync(join(dir, "orig/micro.cjs"), join(dir, "orig/njs/micro.cjs"));
  const traced = require(join(dir, "orig/njs/micro.cjs"));
  if (!String(traced.fib).includes("__njsTrace")) throw new Error("njsTrace did not instrument micro.cjs");
  for (const w of forMode("peer-njs")) {
    await measure(w, [
      { key: "njs-on", mode: "peer-njs-on", label: "peer: njsTrace enabled (no-op formatter)", fn: w.make(traced), before: () => { njs.enabled = true; } },
      { key: "njs-off", mode: "peer-njs-off", label: "peer: njsTrace disabled", fn: w.make(traced), before: () => { njs.enabled = false; } },
    ]);
  }
}

async function peerDc() {
  const dc = require("node:diagnostics_channel");
  const none = dc.tracingChannel("functrace.bench.none");
  const subs = dc.tracingChannel("functrace.bench.subs");
  const noop = () => {};
  subs.subscribe({ start: noop, end: noop, asyncStart: noop, asyncEnd: noop, error: noop });
  const mk = (tc) => {
    const fib = (n) => tc.traceSync(fibBody, { n }, undefined, n); // one context object per call, as real users pass
    const fibBody = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2));
    const bodies = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => new Function("i", `return i ${k % 3 === 2 ? "^" : "+"} ${k};`));
    const mega = bodies.map((b) => (i) => tc.traceSync(b, { i }, undefined, i));
    return { fibLoop: (n, k) => { let a = 0; for (let i = 0; i < n; i++) a += fib(k); return a; }, megaLoop: (n) => { let a = 0; for (let i = 0; i < n; i++) a += mega[i & 7](i); return a; } };
  };
  const a = mk(none);
  const b = mk(subs);
  for (const w of forMode("peer-dc")) {
    await measure(w, [
      { key: "dc-none", mode: "peer-dc", label: "peer: diagnostics_channel traceSync, no subscribers", fn: w.make(a) },
      { key: "dc-subs", mode: "peer-dc-subs", label: "peer: diagnostics_channel traceSync, no-op subscribers", fn: w.make(b) },
    ]);
  }
}

const PEERS = { "peer-otel": peerOtel, "peer-njs": peerNjs, "peer-dc": peerDc };
await (PEERS[mode] ?? (() => runMode("micro", mode, dir, WORKLOADS, floorVariant)))();
emit();
