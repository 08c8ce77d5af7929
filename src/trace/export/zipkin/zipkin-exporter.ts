import type { ColumnarSpanExporter, ExportedSpan } from "../exported-span.js";
import type { SpanColumns } from "../span-columns.js";
import { ZipkinEncoder } from "./zipkin-encoder.js";
import { HttpPoster } from "./http-post.js";
import { resourceTags } from "./resource-tags.js";

/** Options of the native Zipkin exporter (the `zipkin` exporter's settings). */
export interface ZipkinJsonExporterOptions {
  /** Default OTEL_EXPORTER_ZIPKIN_ENDPOINT, else http://localhost:9411/api/v2/spans. */
  url?: string;
  /** localEndpoint.serviceName; default OTEL_SERVICE_NAME, else service.name of OTEL_RESOURCE_ATTRIBUTES. */
  serviceName?: string;
  headers?: Record<string, string>;
  /** Each request is abandoned after this long (default 30000 ms, the export timeout). */
  timeoutMillis?: number;
  /** Replaces the HTTP POST: receives each JSON body, UTF-8 (tests, benchmarks, other transports). */
  post?: (body: Uint8Array) => void | Promise<void>;
}

/** The Zipkin endpoint: code, then OTEL_EXPORTER_ZIPKIN_ENDPOINT, then Zipkin's default. */
export function zipkinEndpoint(url?: string, env: Record<string, string | undefined> = process.env): string {
  const fromEnv = env.OTEL_EXPORTER_ZIPKIN_ENDPOINT?.trim();
  return url ?? (fromEnv !== undefined && fromEnv !== "" ? fromEnv : "http://localhost:9411/api/v2/spans");
}

/**
 * The `zipkin` exporter: Zipkin v2 JSON encoded straight from the export sink's columns and
 * POSTed with node:http(s). No OpenTelemetry package is needed. (The SDK's own ZipkinExporter
 * stays available as `{ type: "zipkin", via: "sdk" }`.)
 */
export class ZipkinJsonExporter implements ColumnarSpanExporter {
  readonly name = "zipkin";
  readonly url: string;
  readonly serviceName: string;
  private readonly _encoder: ZipkinEncoder;
  private readonly _poster: HttpPoster | null;
  private readonly _post: (body: Uint8Array) => void | Promise<void>;

  constructor(options: ZipkinJsonExporterOptions = {}) {
    this.url = zipkinEndpoint(options.url);
    const tags = resourceTags(options.serviceName);
    this.serviceName = tags["service.name"];
    this._encoder = new ZipkinEncoder(this.serviceName, tags);
    if (options.post !== undefined) {
      this._poster = null;
      this._post = options.post;
    } else {
      const poster = new HttpPoster(this.url, options.headers, options.timeoutMillis);
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
