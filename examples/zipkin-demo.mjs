// Sends the traces of the async demo to Zipkin (or anything that accepts Zipkin v2 JSON, such
// as the OpenTelemetry Collector's zipkin receiver).
// Run: npm run demo:zipkin -- http://localhost:9411/api/v2/spans [chains]
//   (default URL: OTEL_EXPORTER_ZIPKIN_ENDPOINT, else http://localhost:9411/api/v2/spans)
import { configure, getExportStats, shutdown } from "functrace";
import { runAsyncDemo } from "./async-demo.mjs";

const url =
  process.argv[2] ?? process.env.OTEL_EXPORTER_ZIPKIN_ENDPOINT ?? "http://localhost:9411/api/v2/spans";
const chains = Number(process.argv[3] ?? 20);
if (!URL.canParse(url)) {
  process.stderr.write(
    `zipkin-demo: not a URL: ${url}\nusage: node examples/zipkin-demo.mjs <zipkin-url> [chains]\n`,
  );
  process.exit(2);
}

configure({
  exporters: [{ type: "zipkin", url, serviceName: process.env.OTEL_SERVICE_NAME ?? "functrace-async-demo" }],
});
const results = await runAsyncDemo({ chains });
await shutdown();

const [stats] = getExportStats().length > 0 ? getExportStats() : [{ exported: 0, dropped: 0 }];
process.stdout.write(
  `async demo: ${results.length} chains done; ${stats.exported} spans sent to ${url}, ${stats.dropped} dropped\n`,
);
if (stats.dropped > 0)
  process.stdout.write("(is Zipkin running? docker run -d -p 9411:9411 openzipkin/zipkin)\n");
