// The main demo: an HTTP service instrumented with functrace-gen at start (into a temporary
// copy), run under a short generated load, with the span bridge's default config serving
// Prometheus metrics. Prints the codemod's summary, an excerpt of the flow tree, the metrics and
// the log lines; writes a Chrome trace file; sends the spans to Zipkin when a URL is given.
//   npm run demo:service [-- --zipkin http://localhost:9411/api/v2/spans] [--serve 60] [--requests 300] [--port 9464]
// --serve N keeps /metrics up N seconds after the load (point a real Prometheus at it).
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { configure, flush, getExportStats, shutdown } from "functrace";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const zipkinUrl = opt("zipkin", process.env.ZIPKIN_URL);
const serveSeconds = Number(opt("serve", 0));
const requests = Number(opt("requests", 300));
const say = (text = "") => process.stdout.write(`${text}\n`);

// 1. A temporary copy of the service, instrumented by the built codemod.
const work = mkdtempSync(join(tmpdir(), "functrace-service-"));
cpSync(join(here, "app"), join(work, "app"), { recursive: true });
writeFileSync(join(work, "package.json"), '{ "name": "orders-service", "private": true, "type": "module" }\n');
mkdirSync(join(work, "node_modules"));
symlinkSync(root, join(work, "node_modules", "functrace"), "dir"); // the instrumented files import "functrace"
const gen = execFileSync(process.execPath, [join(root, "bin", "functrace-gen.js"), "-w", join(work, "app")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
say(`== functrace-gen -w app/\n${gen.trim()}\n`);

// 2. Tracing: the tree to a file, spans to the Mixer bridge (default config), Chrome, Zipkin.
const metricsAddress = `127.0.0.1:${await portOr(Number(opt("port", 9464)))}`;
const treeFile = join(work, "flows.txt");
const chromeFile = join(process.cwd(), "functrace-service.trace.json");
const logLines = captureStdioLogs();
configure({
  enabled: true,
  printer: { output: treeFile, durations: true },
  exporters: [
    { type: "mixer", metricsAddress, serviceName: "orders-service" },
    { type: "chrome", file: chromeFile },
    ...(zipkinUrl ? [{ type: "zipkin", url: zipkinUrl, serviceName: "orders-service" }] : []),
  ],
});

// 3. The service under a short load: 8 clients, orders and checkouts, some failing.
const { startService } = await import(pathToFileURL(join(work, "app", "server.mjs")).href);
const server = await startService();
const base = `http://127.0.0.1:${server.address().port}`;
const statuses = {};
const started = performance.now();
let next = 0;
async function client() {
  while (next < requests) {
    const n = next++;
    const id = n % 11 === 10 ? "x" : String(1 + (n % 50));
    const res = n % 3 === 0 ? await fetch(`${base}/checkout/${id}`, { method: "POST" }) : await fetch(`${base}/orders/${id}`);
    await res.arrayBuffer();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  }
}
await Promise.all(Array.from({ length: 8 }, client));
say(`== load: ${requests} requests in ${(performance.now() - started).toFixed(0)} ms, by status ${JSON.stringify(statuses)}\n`);
await flush();

// 4. What Prometheus scrapes.
const metrics = await (await fetch(`http://${metricsAddress}/metrics`)).text();
const pick = (re, n) => metrics.split("\n").filter((l) => re.test(l)).slice(0, n);
say(`== GET http://${metricsAddress}/metrics (excerpt)`);
for (const line of [
  ...pick(/^functrace_calls_total\{function="orders\./, 8),
  ...pick(/^functrace_call_duration_seconds_bucket\{.*function="store\.findOrder".* # \{trace_id=/, 3),
  ...pick(/^functrace_call_duration_seconds_count\{function="orders\.getOrder"/, 1),
  ...pick(/^http_server_request_duration_seconds_count/, 4),
])
  say(`  ${line}`);
say();
say(`== stdio log lines (failed and slow calls): ${logLines.length}, first 3:`);
for (const line of logLines.slice(0, 3)) say(`  ${line}`);
say();

if (serveSeconds > 0) {
  say(`== serving http://${metricsAddress}/metrics for ${serveSeconds} s (scrape it with Prometheus)`);
  await new Promise((r) => setTimeout(r, serveSeconds * 1000));
}
server.close();
await shutdown();

// 5. The flow tree: the flows of the first checkout request (the tree tags them with the request).
const tree = readFileSync(treeFile, "utf8").split("\n");
const tag = /\[POST \/checkout\/\S+ [0-9a-f]+\]/.exec(tree.join("\n"))?.[0] ?? "[";
const flows = new Set(tree.filter((l) => l.includes(tag)).map((l) => /^(g\[\d+\]):/.exec(l)?.[1]));
say(`== flow tree: the flows of request ${tag} (${flows.size} of them; ${tree.length - 1} lines in all)`);
for (const line of tree.filter((l) => flows.has(/^(g\[\d+\]):/.exec(l)?.[1])).slice(0, 30)) say(`  ${line}`);
say();
const stats = getExportStats();
say(`== exporters: ${stats.map((s) => `${s.exporter} ${s.exported} spans, ${s.dropped} dropped`).join("; ") || "(shut down)"}`);
say(`Chrome trace: ${chromeFile} (open in https://ui.perfetto.dev)`);
if (!zipkinUrl) say("Zipkin: pass --zipkin http://localhost:9411/api/v2/spans to send the spans there");
if (!process.env.KEEP) rmSync(work, { recursive: true, force: true });

/** `wanted` if it is free (0: any), else any free port. */
function portOr(wanted) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => {
      const t = createServer();
      t.listen(0, "127.0.0.1", () => {
        const { port } = t.address();
        t.close(() => resolve(port));
      });
    });
    s.listen(wanted, "127.0.0.1", () => {
      const { port } = s.address(); // the real port when `wanted` is 0
      s.close(() => resolve(port));
    });
  });
}

/** The default config logs failed and slow calls to stderr as JSON lines: keep them for the summary. */
function captureStdioLogs() {
  const lines = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (chunk, ...rest) => {
    const text = String(chunk);
    if (!text.startsWith('{"level"')) return write(chunk, ...rest);
    lines.push(...text.split("\n").filter((l) => l !== ""));
    return true;
  };
  return lines;
}
