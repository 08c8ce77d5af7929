import { context, propagation, trace, ROOT_CONTEXT, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { B3Propagator, B3InjectEncoding } from "@opentelemetry/propagator-b3";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { configure, flush, shutdown, traced } from "../../../src/trace/index.js";
import { uninstallContextBridge } from "../../../src/trace/otel/context-bridge.js";
import { S } from "../../../src/trace/state.js";

/*
 * One pipeline: the application's SDK exports its own spans and, handed the same exporter,
 * functrace's function spans. The spans are checked for parentage across the two.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exporter = new InMemorySpanExporter();
let tracer: Tracer;

function span(name: string): ReadableSpan {
  const found = exporter.getFinishedSpans().filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one ${name}, got ${found.length}: ${exporter.getFinishedSpans().map((s) => s.name).join(",")}`);
  return found[0];
}
const parentOf = (name: string) => span(name).parentSpanContext?.spanId;
const idOf = (name: string) => span(name).spanContext().spanId;

describe("OpenTelemetry context bridge", () => {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    trace.setGlobalTracerProvider(provider);
    tracer = trace.getTracer("test");
  });
  afterAll(() => {
    uninstallContextBridge();
    context.disable();
    trace.disable();
  });
  beforeEach(() => {
    exporter.reset();
    S.cursor.cur = null;
    configure({ exporters: [{ type: "otel", exporter }], minDurationMs: 0 });
  });
  afterEach(async () => {
    configure({ exporters: false, minDurationMs: 0 });
    await shutdown();
  });

  it("should make an API span started inside a traced function its child, before and after an await", async () => {
    const work = traced("f.work", async () => {
      tracer.startSpan("client.before").end();
      await sleep(1);
      tracer.startSpan("client.after").end();
      return 42;
    });
    await expect(work()).resolves.toBe(42);
    await flush();
    expect(parentOf("client.before")).toBe(idOf("f.work"));
    expect(parentOf("client.after")).toBe(idOf("f.work"));
    expect(span("client.after").spanContext().traceId).toBe(span("f.work").spanContext().traceId);
  });

  it("should parent a flow on the active OpenTelemetry span, and keep startActiveSpan's span active", async () => {
    const inner = traced("f.inner", () => tracer.startSpan("client.inner").end());
    const outerFn = traced("f.outer", () => {
      tracer.startActiveSpan("api.active", (active) => {
        tracer.startSpan("client.nested").end();
        active.end();
      });
      inner();
    });
    tracer.startActiveSpan("server", (server) => {
      outerFn();
      server.end();
    });
    await flush();
    expect(parentOf("f.outer")).toBe(idOf("server"));
    expect(parentOf("api.active")).toBe(idOf("f.outer"));
    expect(parentOf("client.nested")).toBe(idOf("api.active"));
    expect(parentOf("f.inner")).toBe(idOf("f.outer"));
    expect(parentOf("client.inner")).toBe(idOf("f.inner"));
    const traceIds = new Set(exporter.getFinishedSpans().map((s) => s.spanContext().traceId));
    expect(traceIds.size).toBe(1);
  });

  it.each([
    ["W3C traceparent", new W3CTraceContextPropagator(), { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" }],
    ["B3 multi-header", new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }), { "x-b3-traceid": "0af7651916cd43dd8448eb211c80319c", "x-b3-spanid": "b7ad6b7169203331", "x-b3-sampled": "1" }],
  ])("should continue an incoming %s trace", async (_label, propagator, headers) => {
    propagation.setGlobalPropagator(propagator);
    const handler = traced("f.handler", async () => sleep(1));
    const incoming = propagation.extract(ROOT_CONTEXT, headers);
    await context.with(incoming, () => handler());
    await flush();
    expect(span("f.handler").spanContext().traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    expect(parentOf("f.handler")).toBe("b7ad6b7169203331");
    propagation.disable();
  });

  it("should parent a timer callback's flow on the function that scheduled it, not on an older OpenTelemetry span", async () => {
    const later = traced("f.later", () => undefined);
    const schedule = traced("f.schedule", async () => {
      await new Promise<void>((resolve) => setTimeout(() => (later(), resolve()), 1));
    });
    await tracer.startActiveSpan("server", async (server) => {
      await schedule();
      server.end();
    });
    await flush();
    expect(parentOf("f.schedule")).toBe(idOf("server"));
    expect(parentOf("f.later")).toBe(idOf("f.schedule"));
  });

  it("should export a short function span that OpenTelemetry spans hang under, despite minDurationMs", async () => {
    configure({ minDurationMs: 1000 });
    const quick = traced("f.quick", () => tracer.startSpan("client.quick").end());
    const skipped = traced("f.skipped", () => 1);
    quick();
    skipped();
    await flush();
    expect(parentOf("client.quick")).toBe(idOf("f.quick"));
    expect(exporter.getFinishedSpans().some((s) => s.name === "f.skipped")).toBe(false);
  });

  it("should record a rejection as an exception event with status ERROR and rethrow it unchanged", async () => {
    const error = new Error("rejected");
    const failing = traced("f.failing", async () => {
      await sleep(1);
      throw error;
    });
    await expect(failing()).rejects.toBe(error);
    await flush();
    const failed = span("f.failing");
    expect(failed.status).toEqual({ code: 2, message: "rejected" });
    expect(failed.events[0].name).toBe("exception");
    expect(failed.events[0].attributes?.["exception.type"]).toBe("Error");
    expect(failed.attributes).toMatchObject({ "code.function.name": "f.failing", "functrace.depth": 1 });
    expect(typeof failed.attributes["functrace.flow"]).toBe("number");
  });
});
