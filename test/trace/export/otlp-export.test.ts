import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { startReceiver, type Receiver } from "./receiver.js";
import { attributesOf, decodeJson, decodeProtobuf, spansOf, startOtlpReceiver } from "./otlp-schema.js";

/*
 * In a child process with the built package: the SDK's OTLP exporter loads its transport with a
 * dynamic import(), which jest's VM cannot run; the native one is tested the same way, as a user
 * runs it. Configured from the environment only (FUNCTRACE_EXPORTER, OTEL_EXPORTER_OTLP_*).
 */
const run = promisify(execFile);
const root = join(__dirname, "../../..");
const program = `
const { traced, shutdown } = require("./dist/cjs/index.js");
const leaf = traced("o.leaf", (x) => x * 2);
const fail = traced("o.fail", async () => { throw new RangeError("out of range"); });
const top = traced("o.root", async () => leaf(1) + leaf(2) + (await fail().catch(() => 0)));
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
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it("should send OTLP/HTTP JSON with the call tree and the code attributes through the SDK (otlp-sdk)", async () => {
    receiver = await startReceiver("accept", "/v1/traces");
    const env = {
      ...process.env,
      FUNCTRACE: "",
      FUNCTRACE_EXPORTER: "otlp-sdk",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url.replace("/v1/traces", ""),
    };
    const { stdout } = await run(process.execPath, ["-e", program], { cwd: root, env, timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual({ v: 6 });
    const body = receiver!.bodies[0] as {
      resourceSpans: { scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[] }[];
    };
    const scope = body.resourceSpans[0].scopeSpans[0];
    expect(scope.scope.name).toBe("functrace");
    const spans = scope.spans;
    const top = spans.find((s) => s.name === "o.root")!;
    const leaves = spans.filter((s) => s.name === "o.leaf");
    expect(leaves).toHaveLength(2);
    for (const l of leaves) expect(l.parentSpanId).toBe(top.spanId);
    const keys = top.attributes.map((a) => a.key);
    expect(keys).toEqual(expect.arrayContaining(["code.function.name", "functrace.flow", "functrace.depth"]));
    expect(spans).toHaveLength(4);
  });

  it.each(["http/protobuf", "http/json", undefined])(
    "should send native OTLP (%s) a Collector decodes, from the OpenTelemetry variables",
    async (protocol) => {
      const r = await startOtlpReceiver("accept");
      try {
        const env: NodeJS.ProcessEnv = {
          ...process.env,
          FUNCTRACE: "",
          FUNCTRACE_EXPORTER: "otlp",
          OTEL_EXPORTER_OTLP_ENDPOINT: r.url.replace("/v1/traces", ""),
          OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=k%201",
          OTEL_SERVICE_NAME: "child-app",
          OTEL_EXPORTER_OTLP_PROTOCOL: protocol ?? "",
        };
        const { stdout, stderr } = await run(process.execPath, ["-e", program], {
          cwd: root,
          env,
          timeout: 20_000,
        });
        expect(stderr).toBe("");
        expect(JSON.parse(stdout)).toEqual({ v: 6 });
        const json = protocol === "http/json";
        expect(r.headers[0]).toMatchObject({
          "x-api-key": "k 1",
          "content-type": json ? "application/json" : "application/x-protobuf",
        });
        const requests = r.bodies.map((b) => (json ? decodeJson(b) : decodeProtobuf(b)));
        expect(attributesOf(requests[0].resourceSpans[0].resource!.attributes)["service.name"]).toBe(
          "child-app",
        );
        const spans = requests.flatMap(spansOf);
        expect(spans.map((s) => s.name).sort()).toEqual(["o.fail", "o.leaf", "o.leaf", "o.root"]);
        const top = spans.find((s) => s.name === "o.root")!;
        for (const s of spans) {
          expect(s.traceId).toBe(top.traceId);
          if (s !== top) expect(s.parentSpanId).toBe(top.spanId);
          expect(attributesOf(s.attributes)).toMatchObject({
            "code.function.name": s.name,
            "functrace.depth": s === top ? 1 : 2,
          });
        }
        const failed = spans.find((s) => s.name === "o.fail")!;
        expect(failed.status).toEqual({ code: 2, message: "out of range" });
        expect(failed.events?.[0]).toMatchObject({ name: "exception", timeUnixNano: failed.endTimeUnixNano });
      } finally {
        await r.close();
      }
    },
  );
});
