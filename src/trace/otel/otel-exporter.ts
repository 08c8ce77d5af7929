import { context, ROOT_CONTEXT } from "@opentelemetry/api";
import { ExportResultCode, suppressTracing } from "@opentelemetry/core";
import type { Resource } from "@opentelemetry/resources";
import type { ReadableSpan, SpanExporter as OtelSpanExporter } from "@opentelemetry/sdk-trace-base";
import { ZipkinExporter } from "@opentelemetry/exporter-zipkin";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import type { ExportedSpan, SpanExporter } from "../export/exported-span.js";
import type { ExporterSpec } from "../export/exporter-spec.js";
import { FunctionReadableSpan } from "./readable-span.js";
import { functionResource } from "./resource.js";
import { runGuarded } from "./http-guard.js";

/**
 * Hands function spans to an OpenTelemetry SDK exporter as ReadableSpans. The export runs with
 * OpenTelemetry tracing suppressed (no HTTP client span for the export request) and its HTTP
 * requests guarded (unref'd, time-limited).
 */
export class OtelExporterAdapter implements SpanExporter {
  readonly name: string;
  readonly exporter: OtelSpanExporter;
  private readonly _resource: Resource;
  private readonly _timeoutMs: number;
  private readonly _owned: boolean;

  /** `owned`: functrace created the exporter and shuts it down; an application's exporter is only flushed. */
  constructor(name: string, exporter: OtelSpanExporter, resource: Resource, timeoutMs = 30_000, owned = true) {
    this.name = name;
    this.exporter = exporter;
    this._resource = resource;
    this._timeoutMs = timeoutMs;
    this._owned = owned;
  }

  export(spans: readonly ExportedSpan[]): Promise<void> {
    const readable: ReadableSpan[] = spans.map((span) => new FunctionReadableSpan(span, this._resource));
    return new Promise<void>((resolve, reject) => {
      const done = (result: { code: number; error?: Error }): void => {
        if (result.code === ExportResultCode.SUCCESS) resolve();
        else reject(result.error ?? new Error(`${this.name} export failed`));
      };
      runGuarded(this._timeoutMs, () => context.with(suppressTracing(ROOT_CONTEXT), () => this.exporter.export(readable, done)));
    });
  }

  flush(): Promise<void> | undefined {
    return this.exporter.forceFlush?.();
  }

  shutdown(): Promise<void> | undefined {
    return this._owned ? this.exporter.shutdown() : this.exporter.forceFlush?.();
  }
}

/** Builds the exporter for a zipkin-sdk (`{ type: "zipkin", via: "sdk" }`), otlp-sdk (`{ type: "otlp", via: "sdk" }`) or otel spec. Endpoints default to the OTEL_* variables. */
export function createOtelExporter(spec: ExporterSpec, timeoutMs = 30_000): SpanExporter {
  const options = typeof spec === "object" ? (spec as unknown as Record<string, unknown>) : { type: spec };
  const headers = options.headers as Record<string, string> | undefined;
  const url = options.url as string | undefined;
  switch (options.type) {
    case "zipkin":
    case "zipkin-sdk": {
      const serviceName = options.serviceName as string | undefined;
      return new OtelExporterAdapter("zipkin", new ZipkinExporter({ url, headers }), functionResource(serviceName), timeoutMs);
    }
    case "otlp":
    case "otlp-sdk":
      return new OtelExporterAdapter("otlp", new OTLPTraceExporter({ url, headers, timeoutMillis: timeoutMs }), functionResource(), timeoutMs);
    case "otel": {
      const exporter = options.exporter as OtelSpanExporter;
      return new OtelExporterAdapter(`otel:${exporter.constructor?.name ?? "exporter"}`, exporter, functionResource(), timeoutMs, false);
    }
    default:
      throw new Error(`not an OpenTelemetry exporter spec: ${JSON.stringify(options.type)}`);
  }
}
