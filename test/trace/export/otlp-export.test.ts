import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { startReceiver, type Receiver } from "./receiver.js";

/*
 * In a child process with the built package: the OTLP exporter loads its transport with a
 * dynamic import(), which jest's VM cannot run. Configured from the environment only
 * (FUNCTRACE_EXPORTER=otlp, OTEL_EXPORTER_OTLP_ENDPOINT).
 */
const run = promisify(execFile);
const root = join(__dirname, "../../..");
const program = `
const { traced, shutdown } = require("./dist/cjs/index.js");
const leaf = traced("o.leaf", (x) => x * 2);
const top = traced("o.root", async () => leaf(1) + leaf(2));
top().then(async (v) => {
  await shutdown();
  process.stdout.write(JSON.stringify({ v }));
});
`;

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

describe("otlp export", () => {
  let receiver: Receiver;
  afterEach(async () => {
    await receiver.close();
  });

  it("should send OTLP/HTTP JSON with the call tree and the code attributes", async () => {
    receiver = await startReceiver("accept", "/v1/traces");
    const env = { ...process.env, FUNCTRACE: "", FUNCTRACE_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url.replace("/v1/traces", "") };
    const { stdout } = await run(process.execPath, ["-e", program], { cwd: root, env, timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual({ v: 6 });
    const body = receiver.bodies[0] as { resourceSpans: { scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[] }[] };
    const scope = body.resourceSpans[0].scopeSpans[0];
    expect(scope.scope.name).toBe("functrace");
    const spans = scope.spans;
    const top = spans.find((s) => s.name === "o.root")!;
    const leaves = spans.filter((s) => s.name === "o.leaf");
    expect(leaves).toHaveLength(2);
    for (const l of leaves) expect(l.parentSpanId).toBe(top.spanId);
    const keys = top.attributes.map((a) => a.key);
    expect(keys).toEqual(expect.arrayContaining(["code.function.name", "functrace.flow", "functrace.depth"]));
    expect(spans).toHaveLength(3);
  });
});
