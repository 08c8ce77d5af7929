import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import {
  configure,
  flush,
  shutdown,
  traced,
  getExportStats,
  getExporters,
} from "../../../src/trace/index.js";
import { resetTracer } from "../../helpers/trace-harness.js";
import {
  OtlpExporter,
  otlpEndpoint,
  otlpHeaders,
  otlpProtocol,
} from "../../../src/trace/export/otlp/otlp-exporter.js";
import { MemorySpanExporter } from "../../../src/trace/export/memory-exporter.js";
import type { ExportedSpan } from "../../../src/trace/export/exported-span.js";
import { FunctionReadableSpan } from "../../../src/trace/otel/readable-span.js";
import { functionResource } from "../../../src/trace/otel/resource.js";
import { ProtoBytes, varintSize } from "../../../src/trace/export/otlp/proto-bytes.js";
import * as protobuf from "protobufjs";
import {
  attributesOf,
  decodeJson,
  decodeProtobuf,
  spansOf,
  startOtlpReceiver,
  type OtlpSpan,
} from "./otlp-schema.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const leaf = traced("n.leaf", (x: number) => x + 1);
const middle = traced("n.middle", (x: number) => leaf(x) + leaf(x));
const unicode = traced('n.ünï"cödé\\', () => 1);
const failing = traced("n.failing", async () => {
  await sleep(1);
  throw new TypeError('bad "input"');
});
const handle = traced("n.handle", async (id: number) => {
  await sleep(id % 2);
  return middle(id);
});
const main = traced("n.main", async (chains: number) => {
  const results = await Promise.all(Array.from({ length: chains }, (_, i) => handle(i)));
  await failing().catch((e: unknown) => e);
  return results;
});

/** A native exporter whose POST is replaced by collecting the bodies. */
function collecting(protocol: "http/protobuf" | "http/json", serviceName = "otlp-test") {
  const bodies: Uint8Array[] = [];
  const exporter = new OtlpExporter({
    protocol,
    serviceName,
    post: (body) => void bodies.push(Buffer.from(body)),
  });
  const decode = protocol === "http/json" ? decodeJson : decodeProtobuf;
  return {
    exporter,
    bodies,
    requests: () => bodies.map(decode),
    spans: () => bodies.flatMap((b) => spansOf(decode(b))),
  };
}

const byId = (spans: OtlpSpan[]) => new Map(spans.map((s) => [s.spanId, s]));
const ns = (s: string) => BigInt(s);

describe("native OTLP encoder", () => {
  const diagnostics: string[] = [];
  beforeEach(() => {
    resetTracer(diagnostics);
    configure({ minDurationMs: 0, include: undefined, exclude: [], maxDepth: undefined, sampleRatio: 1 });
  });
  afterEach(async () => {
    configure({ exporters: false });
    await shutdown();
  });

  it("should send a protobuf ExportTraceServiceRequest the OTLP schema decodes, every field of every span checked", async () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const saved = process.env.OTEL_RESOURCE_ATTRIBUTES;
    process.env.OTEL_RESOURCE_ATTRIBUTES = "deployment.environment=test,team=core";
    const { exporter, requests, spans } = collecting("http/protobuf");
    if (saved === undefined) delete process.env.OTEL_RESOURCE_ATTRIBUTES;
    else process.env.OTEL_RESOURCE_ATTRIBUTES = saved;
    configure({ exporters: [exporter] });
    await expect(main(3)).resolves.toEqual([2, 4, 6]);
    expect(unicode()).toBe(1);
    await flush();
    const after = BigInt(Date.now() + 1) * 1_000_000n;
    const SLACK = 50n * 1_000_000n; // 50 ms

    const [request] = requests();
    expect(request.resourceSpans).toHaveLength(1);
    const [resourceSpans] = request.resourceSpans;
    expect(attributesOf(resourceSpans.resource!.attributes)).toEqual({
      "service.name": "otlp-test",
      "deployment.environment": "test",
      team: "core",
      "telemetry.sdk.language": "nodejs",
      "telemetry.sdk.name": "functrace",
      "telemetry.sdk.version": "0.1.0",
    });
    expect(resourceSpans.scopeSpans).toHaveLength(1);
    expect(resourceSpans.scopeSpans[0].scope).toEqual({ name: "functrace", version: "0.1.0" });

    const all = spans();
    // main, 3 × (handle, middle, 2 leaves), failing, unicode
    expect(all).toHaveLength(1 + 3 * 4 + 1 + 1);
    const ids = byId(all);
    expect(ids.size).toBe(all.length);
    const root = all.find((s) => s.name === "n.main")!;
    for (const span of all) {
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(span.flags).toBe(0x101);
      expect(span.kind).toBe(1);
      const start = ns(span.startTimeUnixNano);
      const end = ns(span.endTimeUnixNano);
      expect(start % 1000n).toBe(0n);
      expect(end - start >= 1000n).toBe(true);
      // Span times are performance.timeOrigin + performance.now() (monotonic, as on the SDK
      // path); Date.now() is the wall clock, and the two drift apart by milliseconds in a long
      // test worker (end > after by under 1 ms failed once in CI). The window still catches a
      // unit error, which is off by a factor of 1000.
      expect(start >= before - SLACK && end <= after + SLACK).toBe(true);
      const attributes = attributesOf(span.attributes);
      const expected: Record<string, string | number | boolean> = {
        "code.function.name": span.name,
        "code.file.path": __filename,
        "code.line.number": expect.any(Number) as never,
        "functrace.flow": expect.any(Number) as never,
        "functrace.depth": expect.any(Number) as never,
      };
      if (["n.main", "n.handle", "n.failing"].includes(span.name)) expected["functrace.async"] = true;
      expect(attributes).toEqual(expected);
      if (span.name === "n.failing") continue;
      expect(span.status).toBeUndefined();
      expect(span.events).toBeUndefined();
      expect(span.links).toBeUndefined();
    }
    expect(root.parentSpanId).toBeUndefined();
    expect(attributesOf(root.attributes)["functrace.depth"]).toBe(1);
    const parentName: Record<string, string> = {
      "n.handle": "n.main",
      "n.middle": "n.handle",
      "n.leaf": "n.middle",
      "n.failing": "n.main",
    };
    for (const span of all) {
      if (span === root || span.name.startsWith("n.ü")) continue;
      expect(span.traceId).toBe(root.traceId);
      const parent = ids.get(span.parentSpanId!)!;
      expect(parent.name).toBe(parentName[span.name]);
      expect(attributesOf(span.attributes)["functrace.depth"]).toBe(
        (attributesOf(parent.attributes)["functrace.depth"] as number) + 1,
      );
      expect(ns(span.startTimeUnixNano) >= ns(parent.startTimeUnixNano)).toBe(true);
      expect(ns(span.endTimeUnixNano) <= ns(parent.endTimeUnixNano)).toBe(true);
    }
    const u = all.find((s) => s.name.startsWith("n.ü"))!;
    expect(u.name).toBe('n.ünï"cödé\\');
    expect(attributesOf(u.attributes)["code.function.name"]).toBe('n.ünï"cödé\\');
    expect(u.traceId).not.toBe(root.traceId);
    expect(u.parentSpanId).toBeUndefined();

    const failed = all.find((s) => s.name === "n.failing")!;
    expect(failed.status).toEqual({ code: 2, message: 'bad "input"' });
    expect(failed.events).toHaveLength(1);
    const [event] = failed.events!;
    expect(event.name).toBe("exception");
    expect(event.timeUnixNano).toBe(failed.endTimeUnixNano);
    const ex = attributesOf(event.attributes);
    expect(ex).toEqual({
      "exception.message": 'bad "input"',
      "exception.type": "TypeError",
      "exception.stacktrace": expect.stringContaining("TypeError: bad"),
    });
  });

  it("should send OTLP/JSON that follows the schema's JSON mapping and says exactly what the protobuf says", async () => {
    const proto = collecting("http/protobuf");
    const json = collecting("http/json");
    configure({ exporters: [proto.exporter, json.exporter] });
    await main(4);
    unicode();
    await flush();
    const text = Buffer.from(json.bodies[0]).toString("utf8");
    expect(text).toMatch(/"traceId":"[0-9a-f]{32}","spanId":"[0-9a-f]{16}"/);
    expect(text).toMatch(/"startTimeUnixNano":"\d{19}"/);
    expect(text).toContain('"kind":1');
    expect(text).toContain('"intValue":"');
    expect(json.requests()).toEqual(proto.requests());
    expect(json.spans()).toHaveLength(1 + 4 * 4 + 1 + 1);
    // the checker rejects what the mapping forbids
    expect(() =>
      decodeJson(
        '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"AAAA","startTimeUnixNano":12,"kind":"SPAN_KIND_SERVER","bogus":1}]}]}]}',
      ),
    ).toThrow(
      /traceId: expected 32 lowercase hex[\s\S]*startTimeUnixNano: expected a decimal string[\s\S]*kind: expected an enum number[\s\S]*bogus: not a field/,
    );
  });

  it("should map every field as the SDK path does (FunctionReadableSpan through the SDK's OTLP protobuf serializer)", async () => {
    const { exporter, requests } = collecting("http/protobuf");
    const memory = new MemorySpanExporter();
    configure({ exporters: [exporter, memory] });
    await main(2);
    await flush();
    // rows only the pipeline of a server or a linked flow makes, as ExportedSpans
    const t = "0af7651916cd43dd8448eb211c80319c";
    const extra: ExportedSpan[] = [
      {
        ...memory.spans[0],
        spanId: "1000000000000001",
        parentSpanId: "b7ad6b7169203331",
        traceId: t,
        name: "GET /item/:id",
        request: { method: "GET", path: "/item/7", status: 200 },
        failed: false,
        error: undefined,
        origin: undefined,
      },
      {
        ...memory.spans[0],
        spanId: "1000000000000002",
        parentSpanId: undefined,
        traceId: t,
        name: "POST /x",
        request: { method: "POST", path: "/x", status: 0 },
        failed: true,
        error: new Error("x"),
        origin: undefined,
      },
      {
        ...memory.spans[1],
        spanId: "1000000000000003",
        origin: { flowId: 7, spanId: "2000000000000009", traceId: "4bf92f3577b34da6a3ce929d0e0e4736" },
      },
      {
        ...memory.spans[1],
        spanId: "1000000000000004",
        failed: true,
        error: "a string",
        file: "src/a.ts",
        line: 42,
        async: true,
      },
      {
        ...memory.spans[1],
        spanId: "1000000000000005",
        failed: true,
        error: {
          toString: () => {
            throw new Error("hostile");
          },
        },
        file: "",
        line: 0,
      },
    ];
    const mine = spansOf(requests()[0]);
    await exporter.export(extra);
    mine.push(...spansOf(requests()[1]));

    const spans = [...memory.spans, ...extra];
    const sdk = decodeProtobuf(
      ProtobufTraceSerializer.serializeRequest(
        spans.map((s) => new FunctionReadableSpan(s, functionResource("otlp-test"))),
      )!,
    );
    // the SDK writes proto3 defaults explicitly (zero counts, status code 0): the same message
    const normalize = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(normalize);
      if (value === null || typeof value !== "object") return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (/^dropped.*Count$/.test(k) && v === 0) continue;
        if (k === "status" && (v as { code?: number }).code === 0 && !(v as { message?: string }).message)
          continue;
        out[k] = normalize(v);
      }
      return out;
    };
    const theirs = spansOf(sdk).map(normalize) as OtlpSpan[];
    expect(mine.length).toBe(spans.length);
    expect(new Map(mine.map((s) => [s.spanId, s]))).toEqual(new Map(theirs.map((s) => [s.spanId, s])));
    const server = mine.find((s) => s.spanId === "1000000000000001")!;
    expect(server.kind).toBe(2);
    expect(attributesOf(server.attributes)).toEqual({
      "http.request.method": "GET",
      "url.path": "/item/7",
      "functrace.flow": extra[0].flowId,
      "http.response.status_code": 200,
    });
    expect(mine.find((s) => s.spanId === "1000000000000003")!.links).toEqual([
      {
        traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
        spanId: "2000000000000009",
        attributes: [{ key: "functrace.flow", value: { intValue: "7" } }],
        flags: 0x101,
      },
    ]);
    // the same scope; the resource differs only by the SDK's own telemetry.sdk.* and its defaults
    expect(sdk.resourceSpans[0].scopeSpans[0].scope).toEqual(
      requests()[0].resourceSpans[0].scopeSpans[0].scope,
    );
    expect(attributesOf(sdk.resourceSpans[0].resource!.attributes)["service.name"]).toBe("otlp-test");
  });

  it("should encode ExportedSpan objects (export()) exactly as it encodes the columns, in both encodings", async () => {
    for (const protocol of ["http/protobuf", "http/json"] as const) {
      const { exporter, bodies } = collecting(protocol);
      const memory = new MemorySpanExporter();
      configure({ exporters: [exporter, memory] });
      middle(2);
      await expect(failing()).rejects.toThrow();
      await flush();
      const fromColumns = Buffer.concat(bodies);
      bodies.length = 0;
      await exporter.export(memory.spans);
      expect(Buffer.from(bodies[0]).equals(fromColumns)).toBe(true);
      configure({ exporters: false });
    }
  });

  it("should split a large batch into payloads of maxExportBatchSize spans, each a valid request", async () => {
    const { exporter, requests } = collecting("http/protobuf");
    configure({ exporters: [exporter], batch: { maxExportBatchSize: 100 } });
    for (let i = 0; i < 150; i++) middle(i); // 450 spans
    await flush();
    const counts = requests().map((r) => spansOf(r).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(450);
    expect(Math.max(...counts)).toBeLessThanOrEqual(100);
    expect(getExportStats()[0]).toMatchObject({ exporter: "otlp", exported: 450, dropped: 0 });
    configure({ batch: { maxExportBatchSize: 512 } });
  });

  it("should write lengths of any size and exact 64-bit nanoseconds", () => {
    const out = new ProtoBytes(16);
    const sizes = [0, 1, 127, 128, 16_383, 16_384, 70_000];
    for (const size of sizes) {
      out.ensure(size + 8);
      const at = out.open(0x0a);
      out.ensure(size);
      out.buf.fill(7, out.pos, out.pos + size);
      out.pos += size;
      out.close(at);
    }
    const bytes = out.take();
    // canonical (shortest) length varints, content intact
    expect(bytes.length).toBe(sizes.reduce((a, n) => a + 1 + varintSize(n) + n, 0));
    const reader = protobuf.Reader.create(bytes);
    for (const size of sizes) {
      expect(reader.uint32()).toBe(0x0a);
      const content = reader.bytes();
      expect(content.length).toBe(size);
      expect(content.every((b) => b === 7)).toBe(true);
    }
    const n = new ProtoBytes(16);
    n.nanosFromMicros(1_767_225_600_123_457);
    expect(Buffer.from(n.take()).readBigUInt64LE(0)).toBe(1_767_225_600_123_457_000n);
  });

  it("should read endpoint, protocol and headers from the OpenTelemetry variables", () => {
    expect(otlpEndpoint(undefined, {})).toBe("http://localhost:4318/v1/traces");
    expect(otlpEndpoint(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318/" })).toBe(
      "http://c:4318/v1/traces",
    );
    expect(
      otlpEndpoint(undefined, {
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://t/custom",
      }),
    ).toBe("http://t/custom");
    expect(otlpEndpoint("http://code/v1/traces", { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://t" })).toBe(
      "http://code/v1/traces",
    );
    expect(otlpProtocol(undefined, {})).toBe("http/protobuf");
    expect(otlpProtocol(undefined, { OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" })).toBe("http/json");
    expect(
      otlpProtocol(undefined, {
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/protobuf",
      }),
    ).toBe("http/protobuf");
    expect(otlpProtocol(undefined, { OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toBe("http/protobuf");
    expect(diagnostics.filter((d) => d.includes("grpc"))).toHaveLength(1);
    expect(
      otlpHeaders(
        { "X-Code": "c" },
        {
          OTEL_EXPORTER_OTLP_HEADERS: "Authorization=Basic%20abc, x-a = 1,bad",
          OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-a=2",
        },
      ),
    ).toEqual({
      authorization: "Basic abc",
      "x-a": "2",
      "x-code": "c",
    });
  });

  it("should pick the native exporter for otlp and the SDK's for via: sdk and otlp-sdk, and reject bad settings naming the field", () => {
    configure({ exporters: ["otlp"] });
    expect(getExporters()[0]).toBeInstanceOf(OtlpExporter);
    configure({ exporters: [{ type: "otlp", protocol: "http/json", url: "http://127.0.0.1:9/v1/traces" }] });
    expect((getExporters()[0] as OtlpExporter).protocol).toBe("http/json");
    configure({ exporters: [{ type: "otlp", via: "sdk", url: "http://127.0.0.1:9/v1/traces" }] });
    expect((getExporters()[0] as unknown as { exporter: object }).exporter.constructor.name).toBe(
      "OTLPTraceExporter",
    );
    configure({ exporters: ["otlp-sdk"] });
    expect((getExporters()[0] as unknown as { exporter: object }).exporter.constructor.name).toBe(
      "OTLPTraceExporter",
    );
    expect(() => configure({ exporters: [{ type: "otlp", via: "fast" as never }] })).toThrow(
      /exporters\[0\]\.via/,
    );
    expect(() => configure({ exporters: [{ type: "otlp", protocol: "grpc" as never }] })).toThrow(
      /exporters\[0\]\.protocol/,
    );
    expect(() => configure({ exporters: [{ type: "otlp", url: "ftp://host/x" }] })).toThrow(
      /exporters\[0\]\.url: expected an http/,
    );
  });
});

describe("native OTLP over HTTP", () => {
  const diagnostics: string[] = [];
  let close: (() => Promise<void>) | undefined;
  beforeEach(() => resetTracer(diagnostics));
  afterEach(async () => {
    configure({ exporters: false, batch: { exportTimeoutMillis: 30_000 } });
    await shutdown();
    await close?.();
    close = undefined;
  });

  it.each(["http/protobuf", "http/json"] as const)(
    "should POST %s with its content type and headers over one keep-alive connection",
    async (protocol) => {
      const r = await startOtlpReceiver("accept");
      close = r.close;
      configure({ exporters: [{ type: "otlp", url: r.url, protocol, headers: { "x-tenant": "t1" } }] });
      middle(1);
      await flush();
      await main(2);
      await flush();
      expect(getExportStats()[0]).toMatchObject({
        exporter: "otlp",
        exported: 3 + 1 + 2 * 4 + 1,
        dropped: 0,
        failedExports: 0,
      });
      expect(r.headers[0]).toMatchObject({
        "x-tenant": "t1",
        "content-type": protocol === "http/json" ? "application/json" : "application/x-protobuf",
      });
      expect(r.connections()).toBe(1);
      const decode = protocol === "http/json" ? decodeJson : decodeProtobuf;
      expect(
        r.bodies
          .flatMap((b) => spansOf(decode(b)))
          .map((s) => s.name)
          .sort(),
      ).toEqual(
        [
          "n.middle",
          "n.leaf",
          "n.leaf",
          "n.main",
          "n.failing",
          ...Array(2).fill(["n.handle", "n.middle", "n.leaf", "n.leaf"]).flat(),
        ].sort(),
      );
    },
  );

  it.each(["refuse", "stall", "fail"] as const)(
    "should change nothing but the drop counter when the receiver does %s",
    async (mode) => {
      let url = "http://127.0.0.1:9/v1/traces";
      if (mode !== "refuse") {
        const r = await startOtlpReceiver(mode === "stall" ? "stall" : "fail");
        close = r.close;
        url = r.url;
      }
      configure({ exporters: [{ type: "otlp", url }], batch: { exportTimeoutMillis: 300 } });
      await expect(main(3)).resolves.toEqual([2, 4, 6]);
      await flush();
      expect(getExportStats()[0]).toMatchObject({
        exporter: "otlp",
        exported: 0,
        dropped: 1 + 3 * 4 + 1,
        failedExports: 1,
      });
      expect(diagnostics.filter((d) => d.includes("otlp"))).toHaveLength(1);
    },
  );
});
