import { defaultResource, detectResources, envDetector, resourceFromAttributes, type Resource } from "@opentelemetry/resources";

let cached: Resource | undefined;

/**
 * The resource of function spans: OpenTelemetry's defaults (telemetry.sdk.*, service.name
 * "unknown_service:node"), then OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME, then an
 * explicit service name from code.
 */
export function functionResource(serviceName?: string): Resource {
  cached ??= defaultResource().merge(detectResources({ detectors: [envDetector] }));
  return serviceName === undefined ? cached : cached.merge(resourceFromAttributes({ "service.name": serviceName }));
}
