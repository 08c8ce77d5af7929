// Adapter throughput through the Mixer core's Report path (src/mixer), against the BUILT files:
//   npm run build && node bench/mixer-adapters.bench.mjs [--rounds 7] [--bags 20000] [--json]
// (MIXER_DIST=/path/to/dist/cjs overrides where the build is read from.)
// Each CASE is one handler behind one metric rule (3 dimensions); every case runs in the same
// process, interleaved round by round (the order rotates each round), so a noisy neighbour hits
// all of them alike. Reported: instances per second (median of rounds, wall and process CPU) and
// the ratio to the `noop` case — the same rule with an adapter that does nothing, i.e. what the
// dispatcher itself costs. Add a case for a new adapter by appending to CASES: `handler(ctx)`
// returns the handler spec, `check(d, n)` verifies the adapter really received n instances,
// optional `setup()`/`teardown()` start and stop whatever the adapter talks to.
import { createRequire } from "node:module";
import { join } from "node:path";
import { createSocket } from "node:dgram";
import { createServer } from "node:http";

const require = createRequire(import.meta.url);
const dist = process.env.MIXER_DIST ?? join(process.cwd(), "dist/cjs");
const M = require(join(dist, "mixer/index.js"));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const JSON_OUT = process.argv.includes("--json");
const ROUNDS = arg("rounds", 7);
const BAGS = arg("bags", 20000);
const FLUSH_EVERY = 1000;
const FQN = "m.instance.istio-system";

/** The prometheus handler built for a case (found through its metrics text after a run). */
const promMetric = (kind, extra = {}) => ({
  compiledAdapter: "prometheus",
  params: { address: "", metrics: [{ instanceName: FQN, name: "calls", kind, labelNames: ["fn", "error", "module"], ...extra }] },
});

/** Sum of every `_count` (histograms) or plain sample (counters) of the exposition: instances recorded. */
function recorded(text, suffix) {
  let n = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line === "") continue;
    const [name] = line.split("{");
    if (suffix === "" ? !name.includes("_bucket") && !name.endsWith("_sum") : name.endsWith(suffix)) n += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return n;
}

/** statsd: a loopback UDP socket that receives (and discards) the packets; the count is what the handler sent. */
const statsdCase = (type, value, nameTemplate, statsdSink = { socket: undefined, port: 0 }) => ({
  setup: () =>
    new Promise((res) => {
      statsdSink.socket = createSocket("udp4").on("message", () => undefined);
      statsdSink.socket.bind(0, "127.0.0.1", () => res((statsdSink.port = statsdSink.socket.address().port)));
    }),
  teardown: () => new Promise((res) => statsdSink.socket.close(res)),
  handler: () => ({
    compiledAdapter: "statsd",
    params: { address: `127.0.0.1:${statsdSink.port}`, prefix: "bench", flushDuration: "100ms", flushBytes: 1432, metrics: { [FQN]: { type, nameTemplate } } },
  }),
  value,
  count: async (h) => h.stats.sent,
});

/** circonus: a loopback HTTPTrap receiver summing what it is sent (counter values, histogram counts). */
const circonusCase = (type, value, trap = { server: undefined, port: 0, total: 0 }) => ({
  setup: () =>
    new Promise((res) => {
      trap.total = 0;
      trap.server = createServer((req, rsp) => {
        let body = "";
        req.on("data", (c) => (body += c)).on("end", () => {
          for (const v of Object.values(JSON.parse(body))) {
            if (v._type === "L") trap.total += Number(v._value);
            else for (const b of v._value) trap.total += Number(b.slice(b.indexOf("=") + 1));
          }
          rsp.writeHead(200, { "Content-Type": "application/json" }).end('{"stats":1}');
        });
      }).listen(0, "127.0.0.1", () => res((trap.port = trap.server.address().port)));
    }),
  teardown: () => new Promise((res) => trap.server.close(res)),
  handler: () => ({
    compiledAdapter: "circonus",
    params: { submissionUrl: `http://127.0.0.1:${trap.port}/module/httptrap/bench/secret`, submissionInterval: "1s", metrics: [{ name: FQN, type }] },
  }),
  value,
  count: async (h) => {
    await h.close(); // final flush: everything recorded reaches the receiver
    return trap.total;
  },
});

let noopSeen = 0;
const countingNoop = {
  ...M.noopAdapter,
  name: "noop-counting",
  newBuilder: () => ({ validate: () => [], build: () => ({ handleReport: (_t, batch) => void (noopSeen += batch.length), close: () => undefined }) }),
};

/** Cases, in print order; the first is the reference the ratios are computed against. */
export const CASES = [
  { key: "noop", name: "noop (no adapter work; dispatcher only)", handler: () => ({ compiledAdapter: "noop-counting" }), value: "1", count: async () => noopSeen },
  { key: "prom-counter", name: "prometheus COUNTER", handler: () => promMetric("COUNTER"), value: "1", count: async (h) => recorded(await h.metrics(), "") },
  { key: "prom-histogram", name: "prometheus DISTRIBUTION (11 buckets)", handler: () => promMetric("DISTRIBUTION"), value: "span.duration", count: async (h) => recorded(await h.metrics(), "_count") },
  {
    key: "prom-histogram-expiry",
    name: "prometheus DISTRIBUTION + expiration policy",
    handler: () => ({ ...promMetric("DISTRIBUTION"), params: { ...promMetric("DISTRIBUTION").params, metricsExpirationPolicy: { metricsExpiryDuration: "10m" } } }),
    value: "span.duration",
    count: async (h) => recorded(await h.metrics(), "_count"),
  },
  { key: "statsd-counter", name: "statsd COUNTER (templated name)", ...statsdCase("COUNTER", "1", "calls.{{.fn}}.{{.error}}") },
  { key: "statsd-timer", name: "statsd DISTRIBUTION (timer, ms)", ...statsdCase("DISTRIBUTION", "span.duration") },
  { key: "circonus-counter", name: "circonus COUNTER (stream tags)", ...circonusCase("COUNTER", "1") },
  { key: "circonus-histogram", name: "circonus DISTRIBUTION (log-linear histogram)", ...circonusCase("DISTRIBUTION", "span.duration") },
];

function resources(c) {
  return [
    { kind: "handler", metadata: { name: "h" }, spec: c.handler() },
    {
      kind: "instance",
      metadata: { name: "m" },
      spec: { compiledTemplate: "metric", params: { value: c.value, dimensions: { fn: "span.name", error: "span.error", module: 'destination.service.name | "unknown"' } } },
    },
    { kind: "rule", metadata: { name: "r" }, spec: { actions: [{ handler: "h", instances: ["m"] }] } },
  ];
}

function makeBags(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push(
      M.createBag({
        "span.name": `svc.Handler.method${i % 50}`,
        "span.error": i % 7 === 0,
        "span.duration": M.Duration.fromMillis((i % 100) / 10),
        "destination.service.name": `mod${i % 5}`,
      }),
    );
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Captures the handler a case's dispatcher builds (the built-in adapter, wrapped). */
function capturing(adapters) {
  const box = {};
  const wrapped = adapters.map((a) => ({
    ...a,
    newBuilder: () => {
      const b = a.newBuilder();
      return { validate: (i) => b.validate(i), build: async (i, env) => (box.handler = await b.build(i, env)) };
    },
  }));
  return { wrapped, box };
}

async function makeRunner(c) {
  await c.setup?.();
  const { wrapped, box } = capturing([...M.BUILTIN_ADAPTERS, countingNoop]);
  const d = new M.Dispatcher({ adapters: wrapped });
  const u = await d.applyResources(resources(c));
  if (u.errors.length || u.buildErrors.length) throw new Error(`${c.name}: ${[...u.errors, ...u.buildErrors].map(String).join("\n")}`);
  const reporter = d.getReporter();
  let expected = 0;
  return {
    ...c,
    run: async (bags) => {
      for (let i = 0; i < bags.length; i++) {
        reporter.report(bags[i]);
        if ((i + 1) % FLUSH_EVERY === 0) await reporter.flush();
      }
      await reporter.flush();
      expected += bags.length;
    },
    verify: async () => {
      const got = await c.count(box.handler);
      if (got !== expected) throw new Error(`${c.name}: adapter recorded ${got} instances, expected ${expected}`);
    },
    close: async () => {
      reporter.done();
      await d.close();
      await c.teardown?.();
    },
  };
}

async function main() {
  const bags = makeBags(BAGS);
  const runners = [];
  for (const c of CASES) runners.push(await makeRunner(c));
  for (const r of runners) await r.run(bags); // warm-up
  const wall = runners.map(() => []);
  const cpu = runners.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < runners.length; k++) {
      const i = (k + round) % runners.length;
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      await runners[i].run(bags);
      const ns = Number(process.hrtime.bigint() - t0);
      const c = process.cpuUsage(c0);
      wall[i].push(ns / bags.length);
      cpu[i].push(((c.user + c.system) * 1000) / bags.length);
    }
  }
  for (const r of runners) await r.verify();
  for (const r of runners) await r.close();
  const rows = runners.map((r, i) => ({ key: r.key, name: r.name, wall: median(wall[i]), cpu: median(cpu[i]) }));
  const base = rows[0];
  if (JSON_OUT) {
    const r3 = (x) => Math.round(x * 1000) / 1000;
    for (const r of rows) console.log(JSON.stringify({ name: `mixer-adapters ${r.name}`, unit: "ns/instance", median: r3(r.wall), baseline: r3(base.wall), ratio: r3(r.wall / base.wall), cpuMedian: r3(r.cpu), cpuRatio: r3(r.cpu / base.cpu) }));
    return;
  }
  console.log(`node ${process.version}, ${ROUNDS} interleaved rounds x ${BAGS} bags (1 instance each), flush every ${FLUSH_EVERY}`);
  console.log("(instances/s from the median ns per instance; cpu = process CPU time, less sensitive to a busy machine)");
  console.log("case".padEnd(46), "ns/inst".padStart(8), "inst/s".padStart(12), "cpu ns".padStart(8), "inst/s/core".padStart(12), "x noop".padStart(7), "x noop cpu".padStart(11));
  for (const r of rows) {
    const perSec = (ns) => Math.round(1e9 / ns).toLocaleString("en");
    console.log(r.name.padEnd(46), r.wall.toFixed(0).padStart(8), perSec(r.wall).padStart(12), r.cpu.toFixed(0).padStart(8), perSec(r.cpu).padStart(12), (r.wall / base.wall).toFixed(2).padStart(7), (r.cpu / base.cpu).toFixed(2).padStart(11));
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
