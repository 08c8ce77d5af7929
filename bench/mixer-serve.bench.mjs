// Load test of `functrace-mixer serve` (issue 13): N client processes send Istio Report calls over
// gRPC to one server process on loopback; the server runs the span bridge's default config (its
// rules, a Prometheus endpoint, the stderr log rules). Side by side, in the same run, the embedded
// dispatcher reports the same bags in-process. Prints Reports/s (one Report = one attribute set =
// one traced call), p50/p99 call latency and the server's CPU per 1,000 Reports/s (Mixer's published
// figure: ~0.6 vCPU per 1,000 requests/s).
//   node bench/mixer-serve.bench.mjs [--clients 2] [--seconds 5] [--batch 1,100] [--concurrency 8] [--json]
// Builds what it runs privately (esbuild, into a temp folder): dist/ is not touched.
import { fork } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const CLIENTS = Number(arg("clients", 2));
const SECONDS = Number(arg("seconds", 5));
const BATCHES = String(arg("batch", "1,100")).split(",").map(Number);
const CONCURRENCY = Number(arg("concurrency", 8));
const JSON_OUT = process.argv.includes("--json");

const role = process.env.BENCH_ROLE;
if (role === "server") await server();
else if (role === "client") await client();
else await main();

/** The bundled library (built by main). */
function lib() {
  return require(process.env.BENCH_LIB);
}

/** Bags shaped like the bridge's: every vocabulary attribute of a finished call, 50 functions, 1 in 10 failed. */
function bags(M, n) {
  const out = [];
  const now = BigInt(Math.floor(Date.now() / 1000));
  for (let i = 0; i < n; i++) {
    const fn = `svc.mod${i % 5}.fn${i % 50}`;
    const failed = i % 10 === 0;
    const ms = 0.05 + (i % 97) * 0.3;
    const d = new M.Duration(BigInt(Math.round(ms * 1e6)));
    const values = {
      "span.name": fn,
      "span.bounded_name": fn,
      "span.kind": "internal",
      "span.trace_id": (i * 7919).toString(16).padStart(32, "0"),
      "span.id": (i * 104729).toString(16).padStart(16, "0"),
      "span.parent_id": "",
      "span.flow": BigInt(i % 8),
      "span.depth": BigInt(1 + (i % 4)),
      "span.start_time": new M.Timestamp(now, (i * 1000) % 1e9),
      "span.end_time": new M.Timestamp(now, (i * 1000 + 500) % 1e9),
      "span.duration": d,
      "span.duration_ms": ms,
      "span.error": failed,
      "span.async": i % 3 === 0,
      "span.attributes": new M.StringMap(new Map([["code.function.name", fn], ["functrace.flow", String(i % 8)]])),
      "context.reporter.kind": "inbound",
      "context.protocol": "function",
      "destination.service.name": "bench",
      "destination.namespace": "svc",
      "request.time": new M.Timestamp(now, 0),
      "response.time": new M.Timestamp(now, 500),
      "response.duration": d,
    };
    if (failed) Object.assign(values, { "span.error_type": "Error", "span.error_message": `failure ${i}` });
    out.push(M.createBag(values));
  }
  return out;
}

/** The default bridge config without its stderr lines (a log line per failed call would measure the terminal). */
function config(L) {
  const dir = mkdtempSync(join(tmpdir(), "mixer-serve-bench-"));
  const yaml = L.defaultConfigYaml({ metricsAddress: "127.0.0.1:0", slowCallMs: 1e9 }).replace(/logStream: STDERR/, "logStream: FILE, outputPath: " + JSON.stringify(join(dir, "log.jsonl")));
  writeFileSync(join(dir, "config.yaml"), yaml);
  return dir;
}

async function server() {
  const L = lib();
  const s = await L.startMixerServer({ config: process.env.BENCH_CONFIG, address: "127.0.0.1:0", metricsAddress: "", watch: false, maxCallsPerSecond: 0, maxInFlight: 100000 });
  let cpu0 = process.cpuUsage();
  let t0 = performance.now();
  process.on("message", async (m) => {
    if (m === "mark") {
      cpu0 = process.cpuUsage();
      t0 = performance.now();
      process.send({ marked: true });
    } else if (m === "cpu") {
      const c = process.cpuUsage(cpu0);
      process.send({ cpuSeconds: (c.user + c.system) / 1e6, wallSeconds: (performance.now() - t0) / 1000 });
    } else if (m === "stop") {
      await s.close();
      process.exit(0);
    }
  });
  process.send({ address: s.address });
}

async function client() {
  const L = lib();
  const grpc = require(process.env.BENCH_GRPC);
  const batch = Number(process.env.BENCH_BATCH);
  const all = bags(L, 1000);
  const serialize = L.mixerService().Report.requestSerialize;
  const requests = [];
  for (let i = 0; i < all.length; i += batch) {
    const req = L.encodeReport(all.slice(i, i + batch).length === batch ? all.slice(i, i + batch) : all.slice(0, batch), { semantics: 1 });
    for (const a of req.attributes) {
      if (a.int64s) for (const k of Object.keys(a.int64s)) a.int64s[k] = String(a.int64s[k]);
      for (const m of [a.timestamps, a.durations]) if (m) for (const t of Object.values(m)) t.seconds = String(t.seconds);
    }
    requests.push(serialize(req));
  }
  const c = new grpc.Client(process.env.BENCH_ADDRESS, grpc.credentials.createInsecure());
  const call = (buf) =>
    new Promise((resolve, reject) => c.makeUnaryRequest("/istio.mixer.v1.Mixer/Report", (b) => b, (b) => b, buf, new grpc.Metadata(), {}, (e) => (e ? reject(e) : resolve())));
  await call(requests[0]); // connect
  process.send({ ready: true });
  await new Promise((r) => process.once("message", r)); // go
  const latencies = [];
  let sent = 0;
  let errors = 0;
  const end = performance.now() + Number(process.env.BENCH_SECONDS) * 1000;
  const worker = async (w) => {
    for (let i = w; performance.now() < end; i++) {
      const t = performance.now();
      try {
        await call(requests[i % requests.length]);
        sent++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: Number(process.env.BENCH_CONCURRENCY) }, (_, w) => worker(w)));
  c.close();
  process.send({ calls: sent, sets: sent * batch, errors, latencies });
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const { buildSync } = require("esbuild");
  const dir = mkdtempSync(join(tmpdir(), "mixer-serve-bench-"));
  const entry = join(dir, "entry.ts");
  writeFileSync(
    entry,
    [
      `export * from ${JSON.stringify(join(ROOT, "src/mixer/index.ts"))};`,
      `export * from ${JSON.stringify(join(ROOT, "src/mixer/server/index.ts"))};`,
      `export { defaultConfigYaml } from ${JSON.stringify(join(ROOT, "src/mixer-bridge/default-config.ts"))};`,
    ].join("\n"),
  );
  const out = join(dir, "lib.cjs");
  buildSync({ entryPoints: [entry], bundle: true, platform: "node", format: "cjs", target: "node20", outfile: out, logLevel: "error", nodePaths: [join(ROOT, "node_modules")] });
  cpSync(join(ROOT, "src/mixer/server/proto"), join(dir, "proto"), { recursive: true });
  const env = { ...process.env, BENCH_LIB: out, BENCH_GRPC: require.resolve("@grpc/grpc-js"), NODE_PATH: join(ROOT, "node_modules") };
  const L = require(out);
  const cfg = config(L);

  const rows = [];
  for (const batch of BATCHES) {
    const srv = fork(fileURLToPath(import.meta.url), [], { env: { ...env, BENCH_ROLE: "server", BENCH_CONFIG: cfg } });
    const { address } = await once(srv);
    const clients = Array.from({ length: CLIENTS }, () =>
      fork(fileURLToPath(import.meta.url), [], { env: { ...env, BENCH_ROLE: "client", BENCH_ADDRESS: address, BENCH_BATCH: String(batch), BENCH_SECONDS: String(SECONDS), BENCH_CONCURRENCY: String(CONCURRENCY) } }),
    );
    await Promise.all(clients.map(once));
    srv.send("mark");
    await once(srv);
    const results = Promise.all(clients.map(once));
    for (const c of clients) c.send("go");
    const res = await results;
    srv.send("cpu");
    const { cpuSeconds, wallSeconds } = await once(srv);
    srv.send("stop");
    const lat = res.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const sets = res.reduce((n, r) => n + r.sets, 0);
    const calls = res.reduce((n, r) => n + r.calls, 0);
    const errors = res.reduce((n, r) => n + r.errors, 0);
    const reportsPerSecond = sets / wallSeconds;
    rows.push({
      name: `serve, ${CLIENTS} clients x ${CONCURRENCY} in flight, ${batch} set(s)/call`,
      reportsPerSecond,
      callsPerSecond: calls / wallSeconds,
      p50ms: pct(lat, 50),
      p99ms: pct(lat, 99),
      serverCpuPer1000: cpuSeconds / wallSeconds / (reportsPerSecond / 1000),
      errors,
    });
  }

  // Embedded: the same bags, the same config, in-process (the bridge's default mode).
  const d = await L.createDispatcher({ config: cfg });
  const all = bags(L, 1000);
  for (const batch of BATCHES.length ? [Math.max(...BATCHES)] : [100]) {
    let n = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const lat = [];
    while (performance.now() - t0 < SECONDS * 1000) {
      const t = performance.now();
      await d.report(all.slice((n * batch) % all.length, ((n * batch) % all.length) + batch));
      lat.push(performance.now() - t);
      n++;
    }
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(cpu0);
    const sets = n * batch;
    lat.sort((a, b) => a - b);
    rows.push({ name: `embedded dispatcher, ${batch} bags/report()`, reportsPerSecond: sets / wall, callsPerSecond: n / wall, p50ms: pct(lat, 50), p99ms: pct(lat, 99), serverCpuPer1000: (c.user + c.system) / 1e6 / wall / (sets / wall / 1000), errors: 0 });
  }
  await d.close();

  if (JSON_OUT) for (const r of rows) console.log(JSON.stringify(r));
  else {
    console.log(`mixer-serve bench: node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), ${SECONDS} s per scenario`);
    console.log("scenario".padEnd(58), "Reports/s".padStart(10), "calls/s".padStart(9), "p50 ms".padStart(8), "p99 ms".padStart(8), "vCPU/1k R/s".padStart(12), "errors".padStart(7));
    for (const r of rows) {
      console.log(r.name.padEnd(58), r.reportsPerSecond.toFixed(0).padStart(10), r.callsPerSecond.toFixed(0).padStart(9), r.p50ms.toFixed(2).padStart(8), r.p99ms.toFixed(2).padStart(8), r.serverCpuPer1000.toFixed(3).padStart(12), String(r.errors).padStart(7));
    }
    console.log("Mixer's published figure: ~0.6 vCPU per 1,000 requests/s (Istio 1.1 performance notes).");
  }
}

function once(child) {
  return new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => code !== 0 && reject(new Error(`child exited with ${code}`)));
  });
}
