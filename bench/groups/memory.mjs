// Group "memory": RSS while tracing ~1 million calls per second with export on and a slow
// receiver (it answers each request after 2 s), sampled every second.
//   node --expose-gc bench/groups/memory.mjs --mode base|export --dir <scratch>
// base: the uninstrumented copy at the same call rate (the baseline RSS, same run).
// export: the instrumented copy, Zipkin export with OpenTelemetry's default batch limits.
// Bounded means: RSS growth over the last two thirds of the run < 5 % of the steady RSS
// (least-squares slope x window), and the spans the exporter could not send counted as drops.
import { createRequire } from "node:module";
import { join } from "node:path";
import { arg, emit, median, quick, row } from "../lib/harness.mjs";
import { exportStats, loadFunctrace } from "../lib/modes.mjs";
import { startReceiver } from "../lib/receiver-client.mjs";

const require = createRequire(import.meta.url);
const mode = arg("mode");
const dir = arg("dir");
const RATE = 1_000_000;
const SECONDS = mode === "base" ? (quick ? 3 : 10) : quick ? 8 : 30;
const CHUNK = 5000;
const RECEIVER_DELAY_MS = 2000;
const MiB = 2 ** 20;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs megaLoop at RATE calls/s for SECONDS, sampling RSS each second. */
async function drive(megaLoop) {
  const samples = [];
  const t0 = performance.now();
  let done = 0;
  let nextSample = 1000;
  let acc = 0;
  for (;;) {
    const elapsed = performance.now() - t0;
    if (elapsed >= nextSample) {
      const m = process.memoryUsage();
      samples.push({ t: elapsed / 1000, rss: m.rss / MiB, heap: m.heapUsed / MiB, calls: done });
      nextSample += 1000;
      if (elapsed >= SECONDS * 1000) break;
    }
    const due = Math.floor((RATE * elapsed) / 1000) - done;
    if (due >= CHUNK) {
      acc += megaLoop(CHUNK - 1); // + the traced megaLoop call itself
      done += CHUNK;
      if (done % (CHUNK * 20) === 0) await new Promise(setImmediate); // let export timers and I/O run
    } else {
      await sleep(1);
    }
  }
  globalThis.__benchSink ^= acc;
  return { samples, rate: done / ((performance.now() - t0) / 1000) };
}

/** Least-squares slope of rss over t (MiB/s). */
function slope(points) {
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mr = points.reduce((a, p) => a + p.rss, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.rss - mr);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const copy = mode === "base" ? "orig" : "inst";
let ft = null;
let receiver = null;
if (mode === "export") {
  ft = loadFunctrace(dir);
  receiver = await startReceiver(RECEIVER_DELAY_MS);
  ft.configure({ exporters: [{ type: "zipkin", url: `${receiver.base}/api/v2/spans` }] });
}
const { megaLoop } = require(join(dir, copy, "micro.cjs"));
const { samples, rate } = await drive(megaLoop);
const tail = samples.slice(Math.floor(samples.length / 3));
const steady = median(tail.map((s) => s.rss));
const peak = Math.max(...samples.map((s) => s.rss));
const growth = slope(tail) * (tail[tail.length - 1].t - tail[0].t);
const title = `memory: ${(RATE / 1e6).toFixed(0)}M calls/s for ${SECONDS} s`;
process.stderr.write(`    rss by second (MiB): ${samples.map((s) => s.rss.toFixed(0)).join(" ")}\n    achieved ${Math.round(rate).toLocaleString("en")} calls/s\n`);
const common = { group: "memory", workload: title, achievedRate: rate, rssBySecond: samples.map((s) => Math.round(s.rss)) };
if (mode === "base") {
  row({ ...common, mode: "base", name: `${title} · uninstrumented, steady RSS`, unit: "MiB", median: steady, min: Math.min(...tail.map((s) => s.rss)), ratio: 1, baseline: "itself", peak });
} else {
  const stats = exportStats(ft, dir);
  const received = await receiver.stats();
  const dropped = stats.reduce((a, s) => a + s.dropped, 0);
  const exported = stats.reduce((a, s) => a + s.exported, 0);
  const label = `${title} · export Zipkin, receiver answers after ${RECEIVER_DELAY_MS / 1000} s`;
  const bounded = Math.abs(growth) < 0.05 * steady && dropped > 0 && rate >= 0.9 * RATE;
  const detail = `peak ${peak.toFixed(0)} MiB, steady ${steady.toFixed(0)} MiB, growth over last ${Math.round(tail[tail.length - 1].t - tail[0].t)} s ${growth >= 0 ? "+" : ""}${growth.toFixed(1)} MiB, ${dropped.toLocaleString("en")} spans dropped (counted), ${exported.toLocaleString("en")} exported, ${Math.round(rate / 1000).toLocaleString("en")}k calls/s achieved`;
  row({ ...common, mode: "peak", name: `${label}: peak RSS`, unit: "MiB", median: peak, min: peak, baseline: `${title} · uninstrumented, steady RSS` });
  row({ ...common, mode: "steady", name: `${label}: steady RSS`, unit: "MiB", median: steady, min: Math.min(...tail.map((s) => s.rss)), baseline: `${title} · uninstrumented, steady RSS` });
  row({ ...common, mode: "summary", name: `${label}: bounded?`, unit: "MiB growth", median: growth, min: growth, bounded, detail, dropped, exported, receivedRequests: received.requests, growthMiB: growth, steadyMiB: steady, peakMiB: peak });
  receiver.stop();
}
emit();
process.exit(0); // the exporter's in-flight request to the slow receiver must not hold the process
