import { addSink, removeSink } from "../registry.js";
import { internalError, reportOnce } from "../diag.js";
import type { Sink } from "../sink.js";
import { ExportSink } from "./export-sink.js";
import type { BatchOptions, ExportStats } from "./export-channel.js";
import type { SpanExporter } from "./exported-span.js";
import { isNativeOtlp, isNativeZipkin, needsOtel, type ExporterSpec } from "./exporter-spec.js";
import { resolveBatchOptions } from "./batch-options.js";
import { MemorySpanExporter } from "./memory-exporter.js";
import { ChromeTraceExporter } from "./chrome-exporter.js";
import { loadOtelSupport, type OtelSupportModule } from "./load-otel.js";
import { bridgeWhenOtelIsUsed } from "./bridge-on-demand.js";
import { ZipkinJsonExporter } from "./zipkin/zipkin-exporter.js";
import { OtlpExporter, type OtlpProtocol } from "./otlp/otlp-exporter.js";
import { createRegistered } from "./exporter-types.js";

/*
 * The one export pipeline of the process: an ExportSink feeding the configured exporters, plus
 * (the slow way) a sink that creates spans through an application's tracer. Replaced as a
 * whole by each `configure({ exporters })`; the previous one is flushed and shut down.
 */
let current: { sink: ExportSink | null; extra: Sink[] } = { sink: null, extra: [] };

/** Installs exporters (validated by the caller); `console` is the printer, handled by configure. */
export function setExporters(specs: readonly ExporterSpec[], batch: BatchOptions = {}): void {
  const previous = current;
  current = { sink: null, extra: [] };
  for (const sink of [previous.sink, ...previous.extra]) {
    if (sink === null) continue;
    removeSink(sink);
    void Promise.resolve(sink.shutdown?.()).catch((error) => internalError("exporter shutdown", error));
  }
  const wanted = specs.filter((s) => s !== "console" && s !== "none");
  if (wanted.length === 0) return;
  const options = resolveBatchOptions(batch);
  const sink = new ExportSink(options);
  current.sink = sink;
  addSink(sink);
  if (!wanted.some(needsOtel)) {
    install(sink, wanted.map((spec) => createLocal(spec, options.exportTimeoutMillis)));
    if (wanted.some((spec) => isNativeZipkin(spec) || isNativeOtlp(spec))) bridgeWhenOtelIsUsed();
    return;
  }
  withOtel(sink, (otel) => {
    if (current.sink !== sink) return;
    const exporters: (SpanExporter | Promise<SpanExporter>)[] = [];
    for (const spec of wanted) {
      if (typeof spec === "object" && "type" in spec && spec.type === "tracer") {
        const tracerSink = otel.createTracerSink(spec.tracer);
        current.extra.push(tracerSink);
        addSink(tracerSink);
      } else {
        exporters.push(needsOtel(spec) ? otel.createOtelExporter(spec, options.exportTimeoutMillis) : createLocal(spec, options.exportTimeoutMillis));
      }
    }
    otel.installContextBridge();
    install(sink, exporters);
  });
}

/** Sets the exporters; those of a registered type may come later (spans queue meanwhile; a failed one is reported and left out). */
function install(sink: ExportSink, made: (SpanExporter | Promise<SpanExporter>)[]): void {
  if (!made.some((e) => e instanceof Promise)) return sink.setExporters(made as SpanExporter[]);
  const ready = Promise.allSettled(made).then((results) => {
    const exporters: SpanExporter[] = [];
    for (const r of results) {
      if (r.status === "fulfilled") exporters.push(r.value);
      else {
        const why = r.reason instanceof Error ? r.reason.message : String(r.reason);
        reportOnce(`exporter-create:${why}`, `an exporter could not be created, its spans are not exported: ${why}`);
      }
    }
    if (current.sink === sink) sink.setExporters(exporters);
    else for (const e of exporters) void Promise.resolve(e.shutdown?.()).catch((error) => internalError("exporter shutdown", error));
  });
  sink.setPending(ready.catch((error) => internalError("exporter setup", error)));
}

function withOtel(sink: ExportSink, use: (otel: OtelSupportModule) => void): void {
  const failed = (error: unknown): void =>
    reportOnce(
      "otel-missing",
      "OpenTelemetry exporters need the optional peer packages @opentelemetry/api, sdk-trace-base, resources, core, exporter-zipkin and exporter-trace-otlp-http",
      error,
    );
  try {
    const otel = loadOtelSupport();
    if (otel instanceof Promise) sink.setPending(otel.then(use, failed).catch((error) => internalError("exporter setup", error)));
    else use(otel);
  } catch (error) {
    failed(error);
  }
}

function createLocal(spec: ExporterSpec, timeoutMs: number): SpanExporter | Promise<SpanExporter> {
  const registered = createRegistered(spec, { exportTimeoutMillis: timeoutMs });
  if (registered !== undefined) return registered;
  if (isNativeZipkin(spec)) {
    const o = (typeof spec === "object" ? spec : {}) as { url?: string; serviceName?: string; headers?: Record<string, string> };
    return new ZipkinJsonExporter({ url: o.url, serviceName: o.serviceName, headers: o.headers, timeoutMillis: timeoutMs });
  }
  if (isNativeOtlp(spec)) {
    const o = (typeof spec === "object" ? spec : {}) as { url?: string; serviceName?: string; headers?: Record<string, string>; protocol?: OtlpProtocol };
    return new OtlpExporter({ url: o.url, protocol: o.protocol, serviceName: o.serviceName, headers: o.headers, timeoutMillis: timeoutMs });
  }
  if (spec === "memory") return new MemorySpanExporter();
  if (spec === "chrome") return new ChromeTraceExporter();
  if (typeof spec === "object" && "type" in spec && spec.type === "chrome") return new ChromeTraceExporter({ file: spec.file });
  if (typeof spec === "object" && "type" in spec && spec.type === "memory") return new MemorySpanExporter({ limit: spec.limit });
  return spec as SpanExporter;
}

/** The exporters in use now (e.g. the MemorySpanExporter created for "memory"). */
export function getExporters(): SpanExporter[] {
  return current.sink?.exporters ?? [];
}

/** Exported and dropped span counts, per exporter. */
export function getExportStats(): ExportStats[] {
  return current.sink?.stats() ?? [];
}
