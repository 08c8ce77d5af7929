// A local span receiver for the export rows: accepts Zipkin (POST /api/v2/spans) and OTLP/HTTP
// (POST /v1/traces) requests, discards the bodies, counts requests and bytes (GET /stats).
// Runs in its own process so its work is not billed to the process under test.
//   node receiver.mjs [--delay-ms N]   (N > 0: a slow receiver that answers after N ms)
// Prints "port <n>" on stdout once listening.
import { createServer } from "node:http";

const i = process.argv.indexOf("--delay-ms");
const delay = i > 0 ? Number(process.argv[i + 1]) : 0;
const stats = { requests: 0, bytes: 0, zipkin: 0, otlp: 0 };

const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/stats") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(stats));
    return;
  }
  let bytes = 0;
  req.on("data", (chunk) => (bytes += chunk.length));
  req.on("end", () => {
    stats.requests++;
    stats.bytes += bytes;
    if (req.url.startsWith("/v1/traces")) stats.otlp++;
    else stats.zipkin++;
    const answer = () => {
      if (req.url.startsWith("/v1/traces")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
      } else {
        res.writeHead(202);
        res.end();
      }
    };
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`port ${server.address().port}\n`));
process.on("SIGTERM", () => process.exit(0));
process.stdin.on("end", () => process.exit(0)); // parent gone
process.stdin.resume();
