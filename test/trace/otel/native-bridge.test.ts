import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { isTracingSuppressed } from "@opentelemetry/core";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { configure, flush, shutdown, traced } from "../../../src/trace/index.js";
import { installContextBridge, uninstallContextBridge } from "../../../src/trace/otel/context-bridge.js";
import { startReceiver } from "../export/receiver.js";
import type { SpanExporter } from "../../../src/trace/export/exported-span.js";
import { Flow } from "../../../src/trace/frame.js";
import { S } from "../../../src/trace/state.js";

const API_KEY = Symbol.for("opentelemetry.js.api.1");
const registry = () => (globalThis as unknown as Record<symbol, { context?: unknown } | undefined>)[API_KEY];

describe("context bridge with the native zipkin exporter", () => {
  afterEach(async () => {
    configure({ exporters: false });
    await shutdown();
    uninstallContextBridge();
    context.disable();
    trace.disable();
  });

  it("should do nothing at flow start while no OpenTelemetry context manager is registered", () => {
    context.disable();
    installContextBridge();
    const flow = new Flow(1, null, null, true);
    S.onFlowStart!(flow);
    expect(flow.ext).toBeUndefined();
    expect(registry()?.context).toBeUndefined();
  });

  it("should install the bridge for `zipkin`: function spans nest under the active OpenTelemetry span", async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const tracer = new BasicTracerProvider().getTracer("t");
    const receiver = await startReceiver("accept");
    configure({ exporters: [{ type: "zipkin", url: receiver.url }] });
    const handler = traced("n.handler", () => 1);
    const server = tracer.startSpan("server");
    context.with(trace.setSpan(context.active(), server), () => handler());
    server.end();
    await flush();
    await receiver.close();
    const [span] = receiver.bodies[0] as { traceId: string; parentId: string }[];
    expect(span.parentId).toBe(server.spanContext().spanId);
    expect(span.traceId).toBe(server.spanContext().traceId);
  });

  it("should run exports with OpenTelemetry tracing suppressed once the bridge is there", async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    installContextBridge();
    const seen: boolean[] = [];
    const probe: SpanExporter = { name: "probe", export: async () => void seen.push(isTracingSuppressed(context.active())) };
    configure({ exporters: [probe] });
    traced("n.call", () => 1)();
    await flush();
    expect(seen).toEqual([true]);
  });
});
