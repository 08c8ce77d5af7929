import { reportOnce } from "../../diag.js";
import type { ColumnarSpanExporter, ExportedSpan } from "../exported-span.js";
import type { SpanColumns } from "../span-columns.js";
import { HttpPoster } from "../zipkin/http-post.js";
import { resourceTags } from "../zipkin/resource-tags.js";
import { OtlpJsonEncoder } from "./otlp-json-encoder.js";
import { OtlpProtoEncoder } from "./otlp-proto-encoder.js";

/** The OTLP/HTTP encodings (OTEL_EXPORTER_OTLP_PROTOCOL values). */
export type OtlpProtocol = "http/protobuf" | "http/json";

/** Options of the native OTLP exporter (the `otlp` exporter's settings). */
export interface OtlpExporterOptions {
  /** The traces URL; default OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces, else http://localhost:4318/v1/traces. */
  url?: string;
  /** Default OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf. */
  protocol?: OtlpProtocol;
  /** Resource service.name; default OTEL_SERVICE_NAME, else service.name of OTEL_RESOURCE_ATTRIBUTES. */
  serviceName?: string;
  /** Added to (and winning over) OTEL_EXPORTER_OTLP_HEADERS and OTEL_EXPORTER_OTLP_TRACES_HEADERS. */
  headers?: Record<string, string>;
  /** Each request is abandoned after this long (default 30000 ms, the export timeout). */
  timeoutMillis?: number;
  /** Replaces the HTTP POST: receives each body (tests, benchmarks, other transports). */
  post?: (body: Uint8Array) => void | Promise<void>;
}

type Env = Record<string, string | undefined>;

const DEFAULT_URL = "http://localhost:4318/v1/traces";

function env(e: Env, name: string): string | undefined {
  const value = e[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/** The traces URL: code, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (as is), OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces, then OTLP's default. */
export function otlpEndpoint(url?: string, e: Env = process.env): string {
  if (url !== undefined) return url;
  const traces = env(e, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  if (traces !== undefined) return traces;
  const base = env(e, "OTEL_EXPORTER_OTLP_ENDPOINT");
  if (base !== undefined) return `${base.replace(/\/+$/, "")}/v1/traces`;
  return DEFAULT_URL;
}

/** The encoding: code, then OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, OTEL_EXPORTER_OTLP_PROTOCOL, then http/protobuf (grpc is not spoken: reported once, protobuf over HTTP used). */
export function otlpProtocol(protocol?: string, e: Env = process.env): OtlpProtocol {
  const value =
    protocol ??
    env(e, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") ??
    env(e, "OTEL_EXPORTER_OTLP_PROTOCOL") ??
    "http/protobuf";
  if (value === "http/protobuf" || value === "http/json") return value;
  reportOnce(
    `otlp-protocol:${value}`,
    `otlp exporter: protocol ${JSON.stringify(value)} is not supported, using http/protobuf (or { type: "otlp", via: "sdk" })`,
    undefined,
    "warn",
  );
  return "http/protobuf";
}

/** OTEL_EXPORTER_OTLP_HEADERS then OTEL_EXPORTER_OTLP_TRACES_HEADERS ("k=v,k2=v2", percent-encoded values), then code. */
export function otlpHeaders(
  headers: Record<string, string> = {},
  e: Env = process.env,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"]) {
    for (const entry of (e[name] ?? "").split(",")) {
      const eq = entry.indexOf("=");
      if (eq <= 0) continue;
      const key = entry.slice(0, eq).trim().toLowerCase();
      try {
        if (key !== "") out[key] = decodeURIComponent(entry.slice(eq + 1).trim());
      } catch {
        // a malformed value is skipped, as the SDK does
      }
    }
  }
  for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = value;
  return out;
}

/**
 * The `otlp` exporter: OTLP/HTTP, protobuf (default) or JSON, encoded straight from the export
 * sink's columns and POSTed with node:http(s) over a keep-alive connection. No OpenTelemetry
 * package is needed. (The SDK's OTLPTraceExporter stays available as `{ type: "otlp", via: "sdk" }`.)
 */
export class OtlpExporter implements ColumnarSpanExporter {
  readonly name = "otlp";
  readonly url: string;
  readonly protocol: OtlpProtocol;
  readonly serviceName: string;
  private readonly _encoder: OtlpProtoEncoder | OtlpJsonEncoder;
  private readonly _poster: HttpPoster | null;
  private readonly _post: (body: Uint8Array) => void | Promise<void>;

  constructor(options: OtlpExporterOptions = {}) {
    this.url = otlpEndpoint(options.url);
    this.protocol = otlpProtocol(options.protocol);
    const tags = resourceTags(options.serviceName);
    this.serviceName = tags["service.name"];
    this._encoder = this.protocol === "http/json" ? new OtlpJsonEncoder(tags) : new OtlpProtoEncoder(tags);
    if (options.post !== undefined) {
      this._poster = null;
      this._post = options.post;
    } else {
      const contentType = this.protocol === "http/json" ? "application/json" : "application/x-protobuf";
      const poster = new HttpPoster(
        this.url,
        { ...otlpHeaders(options.headers), "content-type": contentType },
        options.timeoutMillis,
      );
      this._poster = poster;
      // A body the receiver took is no longer read: the encoder writes the next one in its buffer.
      this._post = (body) => poster.post(body, () => this._encoder.recycle(body));
    }
  }

  encodeColumns(batch: SpanColumns, from: number, to: number): Uint8Array {
    return this._encoder.encodeColumns(batch, from, to);
  }

  send(payload: Uint8Array): void | Promise<void> {
    return this._post(payload);
  }

  export(spans: readonly ExportedSpan[]): void | Promise<void> {
    if (spans.length === 0) return;
    return this._post(this._encoder.encodeSpans(spans));
  }

  shutdown(): void {
    this._poster?.close();
  }
}
