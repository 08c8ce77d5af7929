/*
 * The service name and resource attributes of the native Zipkin exporter, read the way the
 * OpenTelemetry SDK reads them (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES) without needing
 * @opentelemetry/resources: code first, then OTEL_SERVICE_NAME, then service.name from
 * OTEL_RESOURCE_ATTRIBUTES, then OpenTelemetry's default.
 */
const DEFAULT_SERVICE = "unknown_service:node";

/** Parses OTEL_RESOURCE_ATTRIBUTES ("k1=v1,k2=v2", values percent-encoded); bad entries are skipped. */
export function parseResourceAttributes(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined) return out;
  for (const entry of value.split(",")) {
    const eq = entry.indexOf("=");
    if (eq <= 0) continue;
    const key = entry.slice(0, eq).trim();
    let text = entry.slice(eq + 1).trim();
    try {
      text = decodeURIComponent(text);
    } catch {
      continue;
    }
    if (key !== "") out[key] = text;
  }
  return out;
}

/** The resource of function spans as Zipkin tags, service.name included. */
export function resourceTags(serviceName?: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const tags = parseResourceAttributes(env.OTEL_RESOURCE_ATTRIBUTES);
  const fromEnv = env.OTEL_SERVICE_NAME?.trim();
  tags["service.name"] = serviceName ?? (fromEnv !== undefined && fromEnv !== "" ? fromEnv : (tags["service.name"] ?? DEFAULT_SERVICE));
  return tags;
}
