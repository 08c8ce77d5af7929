// The common shape of the call-overhead groups (micro, real, async): one mode per process; each
// workload's copy for that mode is measured interleaved with the uninstrumented copy, and the
// row carries the paired ratio and the extra nanoseconds per traced call.
import { join } from "node:path";
import { compare, pairedRatio, REPS, row } from "./harness.mjs";
import { copyFor, countCalls, loadFunctrace, MODE_LABELS, modeClock, setupMode } from "./modes.mjs";

const ENABLED = new Set(["rec", "record", "printer", "zipkin", "otlp"]);
const NOOP = new Set(["off-env", "off-cond", "removed"]);

/**
 * Measures `variants` against the workload's uninstrumented copy and records one row each.
 * w: { title, unit, calls? }; base: fn(n) of the uninstrumented copy; variant: { key, mode,
 * label, fn, calls?, before?, after? }. opts: { clock, wrap, info, group }.
 */
export async function measureAgainstBase(w, base, variants, opts = {}) {
  const wrap = opts.wrap ?? ((f) => f);
  // opts.minCalls: each sample of a variant makes at least that many traced calls (see modes.mjs, EXPORT_BATCH)
  // opts.warmCalls: after each forced GC, at least that many calls run untimed (EXPORT_WARM)
  const atLeast = (calls, v) => (calls ? Math.ceil(calls / (v.calls ?? w.calls ?? 1)) : undefined);
  const res = await compare(
    [{ key: "base", fn: base }, ...variants.map((v) => ({ ...v, fn: wrap(v.fn), minN: atLeast(opts.minCalls, v), warmN: atLeast(opts.warmCalls, v) }))],
    { clock: opts.clock, reps: opts.reps, converge: opts.converge },
  );
  const info = opts.info ? await opts.info() : {};
  for (const v of variants) {
    const r = res[v.key];
    const interleaved = pairedRatio(r, res.base);
    // pureBase: the baseline measured before tracing changed the whole process (AsyncLocalStorage)
    const base = opts.pureBase ?? res.base;
    const ratio = opts.pureBase ? r.median / base.median : interleaved;
    const calls = v.calls ?? w.calls;
    row({
      group: opts.group, workload: w.title, mode: v.mode, name: `${w.title} · ${v.label}`,
      unit: w.unit + (opts.clock === "cpu" ? " (CPU time)" : ""),
      median: r.median, min: r.min, ratio, ratioOfMins: r.min / base.min, ratioInterleaved: interleaved,
      baseline: opts.pureBase
        ? `${w.title} · uninstrumented (same process, measured before tracing was enabled)`
        : `${w.title} · uninstrumented (same process, interleaved)`,
      baselineMedian: base.median,
      calls, perCallNs: calls ? ((ratio - 1) * base.median) / calls : undefined, ...info,
    });
  }
  return res;
}

/**
 * Runs one functrace mode over the workloads. workload: { key, title, unit, calls?,
 * load(copyDir) -> Promise<fn(n)> }. extraVariants(w, calls) may add (or resolve to) hand-written
 * variants (the floor) measured in the same interleaving; calls is the mode's count per run.
 */
export async function runMode(group, mode, dir, workloads, extraVariants = () => [], opts = {}) {
  workloads = workloads.filter((w) => !w.modes || w.modes.includes(mode));
  const pure = new Map();
  if (opts.pureBaseFirst && ENABLED.has(mode)) {
    for (const w of workloads) pure.set(w, (await compare([{ key: "base", fn: await w.load(join(dir, "orig")) }], { clock: modeClock(mode) })).base);
  }
  const m = await setupMode(mode, dir);
  // real code re-optimizes for several runs after each forced GC (harness.mjs, runOnce)
  const converge = group === "real" || group === "pathological";
  for (const w of workloads) {
    const base = await w.load(join(dir, "orig"));
    if (mode === "base") {
      const res = await compare([{ key: "base", fn: base }], { converge });
      row({ group, workload: w.title, mode, name: `${w.title} · uninstrumented`, unit: w.unit, median: res.base.median, min: res.base.min, ratio: 1, baseline: "itself", calls: w.calls });
      continue;
    }
    const fn = await w.load(join(dir, copyFor(mode)));
    // calls are counted only where tracing is on anyway (the driver copies the count to the
    // other rows of the workload): turning tracing on for one run would change an idle process
    const calls = w.calls ?? (ENABLED.has(mode) ? await countCalls(loadFunctrace(dir), fn) : undefined);
    const extra = await extraVariants(w, calls);
    const variants = [{ key: mode, mode, label: MODE_LABELS[mode], fn, calls, after: m.after }, ...extra];
    // the <= 1.05x budgets need the tightest estimate: twice the samples for the no-op modes; and
    // for a ratio of two extra costs on real code (a mode against its floor), whose samples are
    // whole renders of a corpus
    const reps = NOOP.has(mode) || (group === "real" && extra.length !== 0) ? 2 * REPS : undefined;
    await measureAgainstBase(w, base, variants, { group, clock: m.clock, wrap: m.wrap, info: m.info, pureBase: pure.get(w), reps, minCalls: m.minCalls, warmCalls: m.warmCalls, converge });
  }
  await m.close();
}
