import type { SpanExporter } from "./exported-span.js";
import { exporterTypeNames, isExporterType } from "./exporter-types.js";

/** An OpenTelemetry SDK SpanExporter (structural: `export(spans, callback)` and `shutdown()`). */
export interface OtelSpanExporterLike {
  export(spans: any[], resultCallback: (result: { code: number; error?: Error }) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** An OpenTelemetry API tracer (structural). */
export interface OtelTracerLike {
  startSpan(name: string, options?: any, context?: any): any;
}

/** Where spans go. Names are the FUNCTRACE_EXPORTER values. */
export type ExporterSpec =
  /** Native Zipkin v2 JSON, encoded from the columns (no OpenTelemetry package needed). */
  | "zipkin"
  /** The OpenTelemetry SDK's ZipkinExporter, through ReadableSpans (exactly the SDK's output). */
  | "zipkin-sdk"
  /** Native OTLP/HTTP (protobuf or JSON), encoded from the columns (no OpenTelemetry package needed). */
  | "otlp"
  /** The OpenTelemetry SDK's OTLPTraceExporter (OTLP/HTTP JSON), through ReadableSpans. */
  | "otlp-sdk"
  | "console"
  | "chrome"
  | "memory"
  | "none"
  | { type: "zipkin"; url?: string; serviceName?: string; headers?: Record<string, string>; via?: "native" | "sdk" }
  | { type: "otlp"; url?: string; headers?: Record<string, string>; protocol?: "http/protobuf" | "http/json"; serviceName?: string; via?: "native" | "sdk" }
  | { type: "chrome"; file?: string }
  | { type: "memory"; limit?: number }
  /** An exporter of an application's own OpenTelemetry SDK: function spans join its pipeline. */
  | { type: "otel"; exporter: OtelSpanExporterLike }
  /** The slow way: one SDK span per call through the application's tracer (1.5–2.5 µs per call). */
  | { type: "tracer"; tracer: OtelTracerLike }
  /** Spans to the Mixer core (`functrace/mixer-bridge`, loaded on first use; default: its shipped config). */
  | "mixer"
  | { type: "mixer"; config?: string | readonly string[]; [option: string]: unknown }
  /** functrace's own exporter interface. */
  | SpanExporter;

const NAMES = ["zipkin", "zipkin-sdk", "otlp", "otlp-sdk", "console", "chrome", "memory", "none"];
const TYPES = ["zipkin", "otlp", "chrome", "memory", "otel", "tracer"];

/** True for a spec that needs the OpenTelemetry packages. */
export function needsOtel(spec: ExporterSpec): boolean {
  if (spec === "zipkin-sdk" || spec === "otlp-sdk") return true;
  const type = typeof spec === "string" ? spec : "type" in spec ? spec.type : "";
  if (type === "zipkin" || type === "otlp") return typeof spec === "object" && (spec as { via?: string }).via === "sdk";
  return type === "otel" || type === "tracer";
}

/** True for the native Zipkin exporter (encoded from the columns, no OpenTelemetry SDK). */
export function isNativeZipkin(spec: ExporterSpec): boolean {
  if (spec === "zipkin") return true;
  return typeof spec === "object" && "type" in spec && spec.type === "zipkin" && (spec as { via?: string }).via !== "sdk";
}

/** True for the native OTLP exporter (encoded from the columns, no OpenTelemetry SDK). */
export function isNativeOtlp(spec: ExporterSpec): boolean {
  if (spec === "otlp") return true;
  return typeof spec === "object" && "type" in spec && spec.type === "otlp" && (spec as { via?: string }).via !== "sdk";
}

/** Parses FUNCTRACE_EXPORTER ("zipkin,chrome"). */
export function parseExporterList(value: string): string[] {
  return value.split(",").map((s) => s.trim().toLowerCase()).filter((s) => s !== "");
}

/** Checks exporter specs; one message per problem, naming `exporters[i]` and the field. */
export function validateExporters(specs: unknown): string[] {
  if (!Array.isArray(specs)) return ["exporters: expected an array (or false)"];
  const problems: string[] = [];
  specs.forEach((spec, i) => {
    const where = `exporters[${i}]`;
    if (typeof spec === "string") {
      if (!NAMES.includes(spec) && !isExporterType(spec)) problems.push(`${where}: unknown exporter "${spec}" (expected one of ${[...NAMES, ...exporterTypeNames()].join(", ")})`);
      return;
    }
    if (typeof spec !== "object" || spec === null) {
      problems.push(`${where}: expected an exporter name, an options object or an exporter`);
      return;
    }
    problems.push(...validateObject(spec as Record<string, unknown>, where));
  });
  return problems;
}

function validateObject(spec: Record<string, unknown>, where: string): string[] {
  if (typeof spec.export === "function") {
    return typeof spec.name === "string" ? [] : [`${where}.name: an exporter needs a string name`];
  }
  const type = spec.type;
  // A registered type (e.g. "mixer") checks its own options when it is created.
  if (!TYPES.includes(type as string) && isExporterType(type)) return [];
  if (typeof type !== "string" || !TYPES.includes(type)) return [`${where}.type: expected one of ${[...TYPES, ...exporterTypeNames()].join(", ")}, got ${JSON.stringify(type)}`];
  const problems: string[] = [];
  for (const field of ["url", "serviceName", "file"]) {
    if (spec[field] !== undefined && typeof spec[field] !== "string") problems.push(`${where}.${field}: expected a string`);
  }
  if (typeof spec.url === "string" && !URL.canParse(spec.url)) problems.push(`${where}.url: not a valid URL: ${spec.url}`);
  else if ((type === "zipkin" || type === "otlp") && typeof spec.url === "string" && !/^https?:$/.test(new URL(spec.url).protocol)) problems.push(`${where}.url: expected an http: or https: URL, got ${spec.url}`);
  if ((type === "zipkin" || type === "otlp") && spec.via !== undefined && spec.via !== "native" && spec.via !== "sdk") problems.push(`${where}.via: expected "native" or "sdk", got ${JSON.stringify(spec.via)}`);
  if (type === "otlp" && spec.protocol !== undefined && spec.protocol !== "http/protobuf" && spec.protocol !== "http/json") problems.push(`${where}.protocol: expected "http/protobuf" or "http/json", got ${JSON.stringify(spec.protocol)}`);
  if (spec.headers !== undefined && (typeof spec.headers !== "object" || spec.headers === null || Object.values(spec.headers).some((v) => typeof v !== "string"))) {
    problems.push(`${where}.headers: expected an object of strings`);
  }
  if (type === "otel" && typeof (spec.exporter as OtelSpanExporterLike | undefined)?.export !== "function") {
    problems.push(`${where}.exporter: expected an OpenTelemetry SpanExporter`);
  }
  if (type === "tracer" && typeof (spec.tracer as OtelTracerLike | undefined)?.startSpan !== "function") {
    problems.push(`${where}.tracer: expected an OpenTelemetry Tracer`);
  }
  return problems;
}
