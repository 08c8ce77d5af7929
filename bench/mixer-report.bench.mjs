// Report-path benchmark of the Mixer core (src/mixer). Runs against the BUILT files:
//   npm run build && node bench/mixer-report.bench.mjs [--rounds 5] [--bags 20000]
// (MIXER_DIST=/path/to/dist/cjs overrides where the build is read from.)
// Prints ns per bag (median of rounds), bags/s per core, and the ratio to a baseline measured
// in the same run (a loop handing the same bags to a no-op function). Machines are noisy:
// compare ratios and medians, not single numbers.
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const dist = process.env.MIXER_DIST ?? join(process.cwd(), "dist/cjs");
const M = require(join(dist, "mixer/index.js"));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ROUNDS = arg("rounds", 5);
const BAGS = arg("bags", 20000);
const FLUSH_EVERY = 1000;

const handler = (name) => ({ kind: "handler", metadata: { name }, spec: { compiledAdapter: "noop" } });
const metric = (name) => ({
  kind: "instance",
  metadata: { name },
  spec: { compiledTemplate: "metric", params: { value: "span.duration", dimensions: { fn: "span.name", error: "span.error", module: 'destination.service.name | "unknown"' } } },
});
const rule = (name, match, h, inst) => ({ kind: "rule", metadata: { name }, spec: { match, actions: [{ handler: h, instances: [inst] }] } });

const SCENARIOS = {
  "a1 no Report rule (fast path)": [handler("h"), { kind: "instance", metadata: { name: "c" }, spec: { compiledTemplate: "checknothing" } }, rule("r", "", "h", "c")],
  "a2 one rule, match false": [handler("h"), metric("m"), rule("r", 'span.name == "never"', "h", "m")],
  "b  one metric rule, 3 dims -> noop": [handler("h"), metric("m"), rule("r", "", "h", "m")],
  "c  ten metric rules -> noop": [handler("h"), ...Array.from({ length: 10 }, (_, i) => [metric(`m${i}`), rule(`r${i}`, "", "h", `m${i}`)]).flat()],
};

function makeBags(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push(
      M.createBag({
        "span.name": `svc.Handler.method${i % 50}`,
        "span.error": i % 7 === 0,
        "span.duration": M.Duration.fromMillis((i % 100) / 10),
        "destination.service.name": `mod${i % 5}`,
        "span.trace_id": (i * 2654435761).toString(16),
      }),
    );
  }
  return out;
}

let sinkValue = 0;
function noopConsume(bag) {
  sinkValue ^= bag === undefined ? 1 : 0;
}

async function timeRound(bags, fn) {
  const t0 = process.hrtime.bigint();
  await fn(bags);
  return Number(process.hrtime.bigint() - t0) / bags.length;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function measure(bags, fn) {
  await fn(bags.slice(0, Math.min(2000, bags.length))); // warm-up
  const r = [];
  for (let i = 0; i < ROUNDS; i++) r.push(await timeRound(bags, fn));
  return median(r);
}

function reportPath(reporter) {
  return async (bags) => {
    for (let i = 0; i < bags.length; i++) {
      reporter.report(bags[i]);
      if ((i + 1) % FLUSH_EVERY === 0) await reporter.flush();
    }
    await reporter.flush();
  };
}

async function flushCost(destinations, perDest) {
  const res = [handler("h0")];
  for (let d = 0; d < destinations; d++) res.push(handler(`h${d}`), metric(`m${d}`), rule(`r${d}`, "", `h${d}`, `m${d}`));
  const dispatcher = new M.Dispatcher();
  await dispatcher.applyResources(res);
  const reporter = dispatcher.getReporter();
  const bags = makeBags(perDest);
  const samples = [];
  for (let round = 0; round < ROUNDS * 4; round++) {
    for (const b of bags) reporter.report(b);
    const t0 = process.hrtime.bigint();
    await reporter.flush();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  reporter.done();
  await dispatcher.close();
  return median(samples);
}

async function main() {
  const bags = makeBags(BAGS);
  const rows = [];
  const baseline = await measure(bags, async (bs) => {
    for (let i = 0; i < bs.length; i++) noopConsume(bs[i]);
  });
  rows.push(["baseline: loop handing bags to a no-op fn", baseline]);
  for (const [name, resources] of Object.entries(SCENARIOS)) {
    const d = new M.Dispatcher();
    const u = await d.applyResources(resources);
    if (u.errors.length) throw new Error(u.errors.map(String).join("\n"));
    const reporter = d.getReporter();
    rows.push([name, await measure(bags, reportPath(reporter))]);
    reporter.done();
    await d.close();
  }
  // One Report call per bag (report + flush each time), the unit Mixer's 0.26 ms was measured in.
  const d = new M.Dispatcher();
  await d.applyResources(SCENARIOS["b  one metric rule, 3 dims -> noop"]);
  const perCall = await measure(bags.slice(0, 5000), async (bs) => {
    for (const b of bs) await d.report(b);
  });
  rows.push(["b' one dispatcher.report() per bag (report+flush)", perCall]);
  await d.close();

  console.log(`node ${process.version}, ${ROUNDS} rounds x ${BAGS} bags, flush every ${FLUSH_EVERY}; median ns/bag`);
  console.log("scenario".padEnd(52), "ns/bag".padStart(9), "bags/s/core".padStart(13), "x baseline".padStart(11));
  for (const [name, ns] of rows) {
    console.log(name.padEnd(52), ns.toFixed(1).padStart(9), Math.round(1e9 / ns).toLocaleString("en").padStart(13), (ns / baseline).toFixed(1).padStart(11));
  }
  const vcpu = (ns) => ((ns * 1000) / 1e9).toFixed(5);
  console.log(`\nMixer comparison: Mixer ~0.26 ms per in-process Report (gRPC), telemetry 0.6 vCPU per 1,000 req/s.`);
  console.log(`ours (b, batched):  ${(rows[3][1] / 1e6).toFixed(5)} ms per bag, ${vcpu(rows[3][1])} vCPU per 1,000 bags/s`);
  console.log(`ours (b', per call): ${(perCall / 1e6).toFixed(5)} ms per Report, ${vcpu(perCall)} vCPU per 1,000 Reports/s`);

  console.log("\nflush cost (µs per flush, median) — proportional to destinations, not instances:");
  for (const [dests, per] of [[1, 10], [1, 1000], [10, 10], [10, 1000]]) {
    console.log(`  ${String(dests).padStart(2)} destination(s) x ${String(per).padStart(4)} instances: ${(await flushCost(dests, per)).toFixed(1).padStart(8)} µs`);
  }
  if (sinkValue === 42) console.log("");
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
