import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { configure, flush, shutdown, traced, getExportStats, getExporters } from "../../../src/trace/index.js";
import { S } from "../../../src/trace/state.js";
import { resetTracer } from "../../helpers/trace-harness.js";
import { ZipkinJsonExporter } from "../../../src/trace/export/zipkin/zipkin-exporter.js";
import { parseResourceAttributes, resourceTags } from "../../../src/trace/export/zipkin/resource-tags.js";
import { MemorySpanExporter } from "../../../src/trace/export/memory-exporter.js";
import { zipkinSpanValidator } from "./receiver.js";

interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: string;
  timestamp: number;
  duration: number;
  localEndpoint: { serviceName: string };
  tags: Record<string, string>;
  annotations?: { timestamp: number; value: string }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const leaf = traced("z.leaf", (x: number) => x + 1);
const middle = traced("z.middle", (x: number) => leaf(x) + leaf(x));
const unicode = traced('z.ünï"cödé\\', () => 1);
const failing = traced("z.failing", async () => {
  await sleep(1);
  throw new TypeError('bad "input"');
});

/** A native exporter whose POST is replaced by collecting the bodies. */
function collecting(serviceName = "enc-test"): { exporter: ZipkinJsonExporter; spans: () => ZipkinSpan[]; bodies: Uint8Array[] } {
  const bodies: Uint8Array[] = [];
  const exporter = new ZipkinJsonExporter({ serviceName, post: (body) => void bodies.push(body) });
  return { exporter, bodies, spans: () => bodies.flatMap((b) => JSON.parse(Buffer.from(b).toString("utf8")) as ZipkinSpan[]) };
}

describe("native zipkin encoder", () => {
  const diagnostics: string[] = [];
  beforeEach(() => {
    resetTracer(diagnostics);
    configure({ minDurationMs: 0, include: undefined, exclude: [], maxDepth: undefined, sampleRatio: 1 });
  });
  afterEach(async () => {
    configure({ exporters: false });
    await shutdown();
  });

  it("should encode valid Zipkin v2 JSON with the call tree, code tags and the resource", async () => {
    const { exporter, spans } = collecting();
    configure({ exporters: [exporter] });
    expect(middle(1)).toBe(4);
    expect(unicode()).toBe(1);
    await flush();
    const all = spans();
    expect(all).toHaveLength(4);
    const validate = zipkinSpanValidator();
    for (const span of all) expect({ name: span.name, errors: validate(span) }).toEqual({ name: span.name, errors: [] });
    const m = all.find((s) => s.name === "z.middle")!;
    const leaves = all.filter((s) => s.name === "z.leaf");
    expect(m.parentId).toBeUndefined();
    expect(m.kind).toBeUndefined();
    for (const l of leaves) {
      expect(l.parentId).toBe(m.id);
      expect(l.traceId).toBe(m.traceId);
      expect(l.tags).toMatchObject({ "code.function.name": "z.leaf", "functrace.depth": "2", "functrace.flow": m.tags["functrace.flow"], "service.name": "enc-test" });
      expect(Number.isInteger(l.duration) && l.duration >= 1).toBe(true);
      expect(l.timestamp).toBeGreaterThanOrEqual(m.timestamp);
      expect(l.localEndpoint).toEqual({ serviceName: "enc-test" });
    }
    expect(m.tags["functrace.depth"]).toBe("1");
    expect(m.timestamp / 1000).toBeGreaterThan(Date.now() - 60_000);
    expect(new Set(all.map((s) => s.id)).size).toBe(4);
    const u = all.find((s) => s.name.startsWith("z.ü"))!;
    expect(u.name).toBe('z.ünï"cödé\\');
    expect(u.tags["code.function.name"]).toBe('z.ünï"cödé\\');
    expect(u.traceId).not.toBe(m.traceId);
  });

  it("should tag a failure with otel.status_code, error and an exception annotation at its end", async () => {
    const { exporter, spans } = collecting();
    configure({ exporters: [exporter] });
    await expect(failing()).rejects.toThrow(TypeError);
    await flush();
    const [span] = spans();
    expect(zipkinSpanValidator()(span)).toEqual([]);
    expect(span.tags).toMatchObject({ "otel.status_code": "ERROR", error: 'bad "input"', "functrace.async": "true" });
    expect(span.annotations).toEqual([{ timestamp: span.timestamp + span.duration, value: "exception" }]);
  });

  it("should encode ExportedSpan objects (export()) exactly as it encodes the columns", async () => {
    const { exporter, bodies } = collecting();
    const memory = new MemorySpanExporter();
    configure({ exporters: [exporter, memory] });
    middle(2);
    await expect(failing()).rejects.toThrow();
    await flush();
    const fromColumns = bodies.map((b) => Buffer.from(b).toString()).join("");
    bodies.length = 0;
    await exporter.export(memory.spans);
    expect(Buffer.from(bodies[0]).toString()).toBe(fromColumns);
  });

  it("should hand OpenTelemetry-free exporters' spans through the columns with no Frame kept", async () => {
    const { exporter } = collecting();
    configure({ exporters: [exporter] });
    middle(1);
    const sink = S.sinks.find((s) => "droppedFrames" in s) as unknown as Record<string, unknown>;
    const columns = sink._columns as Record<string, unknown>;
    expect(columns.length).toBe(3);
    const held = Object.values(columns).flatMap((v) => (Array.isArray(v) ? v : v instanceof Map ? [...v.values()] : [v]));
    expect(held.some((v) => v !== null && typeof v === "object" && "depth" in (v as object) && "flow" in (v as object))).toBe(false);
    expect(sink._waiting).toEqual([]);
    await flush();
    expect(columns.length).toBe(0);
  });

  it("should read the service name and resource attributes like the OpenTelemetry SDK", () => {
    expect(parseResourceAttributes("a=1, b = x%20y ,bad,=v,c=%E0%A4%A")).toEqual({ a: "1", b: "x y" });
    expect(resourceTags(undefined, { OTEL_RESOURCE_ATTRIBUTES: "service.name=from-attrs,team=core" })).toEqual({ "service.name": "from-attrs", team: "core" });
    expect(resourceTags(undefined, { OTEL_SERVICE_NAME: "svc", OTEL_RESOURCE_ATTRIBUTES: "service.name=x" })["service.name"]).toBe("svc");
    expect(resourceTags("code", { OTEL_SERVICE_NAME: "svc" })["service.name"]).toBe("code");
    expect(resourceTags(undefined, {})["service.name"]).toBe("unknown_service:node");
  });

  it("should pick the native exporter for zipkin and the SDK's for via: sdk, and reject bad settings naming the field", () => {
    configure({ exporters: ["zipkin"] });
    expect(getExporters()[0]).toBeInstanceOf(ZipkinJsonExporter);
    configure({ exporters: [{ type: "zipkin", via: "sdk", url: "http://127.0.0.1:9/api/v2/spans" }] });
    const adapter = getExporters()[0] as unknown as { exporter: object };
    expect(adapter.exporter.constructor.name).toBe("ZipkinExporter");
    configure({ exporters: ["zipkin-sdk"] });
    expect((getExporters()[0] as unknown as { exporter: object }).exporter.constructor.name).toBe("ZipkinExporter");
    expect(() => configure({ exporters: [{ type: "zipkin", via: "fast" as never }] })).toThrow(/exporters\[0\]\.via/);
    expect(() => configure({ exporters: [{ type: "zipkin", url: "ftp://host/x" }] })).toThrow(/exporters\[0\]\.url: expected an http/);
    expect(() => configure({ exporters: [{ type: "zipkin", headers: { a: 1 } as never }] })).toThrow(/exporters\[0\]\.headers/);
  });
});

describe("native zipkin over HTTP", () => {
  let server: Server | undefined;
  const diagnostics: string[] = [];
  beforeEach(() => {
    resetTracer(diagnostics);
  });
  afterEach(async () => {
    configure({ exporters: false });
    await shutdown();
    await new Promise((resolve) => (server ? (server.closeAllConnections(), server.close(resolve)) : resolve(undefined)));
    server = undefined;
  });

  async function listen(status: number): Promise<{ url: string; connections: () => number; headers: Record<string, unknown>[] }> {
    let connections = 0;
    const headers: Record<string, unknown>[] = [];
    server = createServer((req, res) => {
      headers.push(req.headers);
      req.resume().on("end", () => res.writeHead(status).end());
    });
    server.on("connection", () => connections++);
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2/spans`, connections: () => connections, headers };
  }

  it("should reuse one keep-alive connection and send the configured headers", async () => {
    const receiver = await listen(202);
    configure({ exporters: [{ type: "zipkin", url: receiver.url, headers: { "x-tenant": "t1" } }] });
    middle(1);
    await flush();
    middle(2);
    await flush();
    expect(getExportStats()[0]).toMatchObject({ exported: 6, dropped: 0, failedExports: 0 });
    expect(receiver.headers).toHaveLength(2);
    expect(receiver.headers[0]).toMatchObject({ "x-tenant": "t1", "content-type": "application/json" });
    expect(receiver.connections()).toBe(1);
  });

  it("should count a 4xx answer as a failed export, reported once, never thrown", async () => {
    const receiver = await listen(400);
    configure({ exporters: [{ type: "zipkin", url: receiver.url }] });
    middle(1);
    await flush();
    middle(1);
    await flush();
    expect(getExportStats()[0]).toMatchObject({ exported: 0, dropped: 6, failedExports: 2 });
    expect(diagnostics.filter((d) => d.includes("zipkin"))).toHaveLength(1);
  });
});
