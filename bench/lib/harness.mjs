// Measurement harness shared by the bench groups (ideas from /work/shared/bench/perf-limits-bench.mjs):
// per variant, calibrate n so one sample takes ~TARGET_MS, warm up (time based, >= 3 samples),
// re-calibrate on optimized code, then take REPS samples. Variants measured together are
// INTERLEAVED (A B C A B C ...) so machine drift and noisy neighbours hit them alike; the
// ratio of two variants of one compare() call is the least noisy figure this machine gives.
// Every fn(n) returns a value (or a promise of one) that is folded into a global sink, so V8
// cannot drop the work.
import { performance } from "node:perf_hooks";

const QUICK = process.env.FT_BENCH_QUICK === "1";
export const TARGET_MS = Number(process.env.BENCH_TARGET_MS || (QUICK ? 8 : 40));
export const WARM_MS = Number(process.env.BENCH_WARM_MS || (QUICK ? 40 : 400));
export const REPS = Number(process.env.BENCH_REPS || (QUICK ? 5 : 11));
const WARM_ROUNDS = QUICK ? 2 : 3;
export const quick = QUICK;

globalThis.__benchSink = 0;

/** Median of numbers. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const hr = process.hrtime.bigint;
/** Wall clock (ns) or this process's CPU time, user + system (ns; includes GC helper threads). */
const CLOCKS = {
  wall: () => Number(hr()),
  cpu: () => {
    const u = process.cpuUsage();
    return (u.user + u.system) * 1000;
  },
};

/** Runs fn(n) once: returns the time it took. */
async function timed(variant, n, clock) {
  const t0 = clock();
  let r = variant.fn(n);
  if (r && typeof r.then === "function") r = await r;
  const t1 = clock();
  globalThis.__benchSink ^= typeof r === "number" ? r | 0 : 1;
  return Math.max(t1 - t0, 1);
}

/** Re-optimization runs after a forced GC: at most this many. */
const MAX_REWARM = 8;

/**
 * One sample of fn(n). bestPerOp: the variant's fastest time per op seen so far (undefined
 * before its first sample): what "warm again" is measured against.
 */
async function runOnce(variant, n, clock, bestPerOp, converge) {
  if (typeof globalThis.gc === "function") {
    globalThis.gc();
    // A full GC drops optimized code that embeds objects it collected ("weak objects"), and a
    // tracer that allocates a record per call is hit by that on every sample while a
    // hand-written floor is not: re-optimize, untimed, so every variant is measured in the
    // steady state a long-running program sees (same treatment for all variants). Real code
    // needs several runs for that (marked: 111 functions deoptimized by one GC, then 3-5 renders
    // of the corpus at up to 3x the steady time): with `converge`, it reruns until one is near
    // the best time (opt-in: an export row's samples vary more than that with no GC at all).
    // variant.warmN: an export row's floor on that re-warm (modes.mjs, EXPORT_WARM)
    const m = Math.max(variant.warmN ?? 1, Math.ceil(n / 8));
    for (let k = 0; k < (converge ? MAX_REWARM : 1); k++) {
      const t = await timed(variant, m, clock);
      if (bestPerOp === undefined || t <= 1.3 * bestPerOp * m) break;
    }
  }
  if (variant.before) await variant.before();
  const t = await timed(variant, n, clock);
  if (variant.after) await variant.after();
  return t;
}

async function calibrate(variant, clock) {
  if (variant.fixedN) return variant.fixedN;
  let n = 1;
  for (;;) {
    const t = await runOnce(variant, n, clock);
    if (t > 4e6 || n >= 1 << 30) return Math.max(variant.minN ?? 1, Math.round((n * TARGET_MS * 1e6) / t));
    n *= 4;
  }
}

/**
 * Measures variants side by side. variant: { key, fn(n), opsPer?, fixedN?, minN?, warmN?, before?, after? }
 * (before/after run outside the timed region). opts.clock: "wall" (default) or "cpu";
 * opts.reps: samples per variant (default REPS); opts.converge: after each forced GC, rerun
 * until near the best time (real code, see runOnce).
 * Returns { [key]: { median, min, samples, n } } in ns per op (op = opsPer units of work).
 */
export async function compare(variants, opts = {}) {
  const clock = CLOCKS[opts.clock || "wall"];
  const ns = new Map();
  for (const v of variants) ns.set(v, await calibrate(v, clock));
  // the fastest time per op of each variant so far: after a forced GC, a variant is rerun until near it
  const best = new Map();
  const sample = async (v) => {
    const t = await runOnce(v, ns.get(v), clock, best.get(v), opts.converge);
    best.set(v, Math.min(best.get(v) ?? Infinity, t / ns.get(v)));
    return t;
  };
  const start = performance.now();
  const warm = new Map(variants.map((v) => [v, []]));
  for (let round = 0; round < WARM_ROUNDS || performance.now() - start < WARM_MS; round++) {
    for (const v of variants) warm.get(v).push(await sample(v));
  }
  // re-calibrate on optimized code: median of the last three warm-up samples (one GC-hit
  // sample must not shrink n), then one more untimed run at the new n
  for (const v of variants) {
    if (v.fixedN) continue;
    ns.set(v, Math.max(v.minN ?? 1, Math.round((ns.get(v) * TARGET_MS * 1e6) / median(warm.get(v).slice(-3)))));
    await runOnce(v, ns.get(v), clock, best.get(v), opts.converge);
  }
  const samples = new Map(variants.map((v) => [v, []]));
  const reps = opts.reps ?? REPS;
  for (let r = 0; r < reps; r++) {
    // rotate the order each round so no variant always runs right after the same neighbour
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(k + r) % variants.length];
      const t = await sample(v);
      samples.get(v).push(t / (ns.get(v) * (v.opsPer || 1)));
    }
  }
  const out = {};
  for (const v of variants) {
    const s = samples.get(v);
    out[v.key] = { median: median(s), min: Math.min(...s), samples: s, n: ns.get(v) };
    process.stderr.write(`    ${v.key.padEnd(34)} med ${fmt(out[v.key].median).padStart(12)}  min ${fmt(out[v.key].min).padStart(12)} ns  (n=${ns.get(v)})\n`);
  }
  return out;
}

/**
 * Median over rounds of a[r] / b[r]: samples taken side by side share the machine's state at
 * that moment, so their ratio cancels most of the drift a ratio of two medians still carries.
 */
export function pairedRatio(a, b) {
  const n = Math.min(a.samples.length, b.samples.length);
  const ratios = [];
  for (let r = 0; r < n; r++) ratios.push(a.samples[r] / b.samples[r]);
  return median(ratios);
}

function fmt(x) {
  return x >= 100 ? x.toFixed(0) : x.toFixed(2);
}

/** A loop of n calls of f(arg), results accumulated. */
export const loopOf = (f, arg) => (n) => {
  let a = 0;
  for (let i = 0; i < n; i++) a += f(arg);
  return a;
};

const rows = [];
/** Records a result row (printed as JSON by emit()). */
export function row(r) {
  rows.push({ node: process.version, ...r });
}

/** Prints the rows for the driver: one marked line on stdout. */
export function emit() {
  process.stdout.write("\n@@FT-BENCH-ROWS@@" + JSON.stringify(rows) + "\n");
}

/** Parses `--name value` from argv. */
export function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
}
