/**
 * Built-in manifests (types only): Istio 1.7's `istioproxy` and `kubernetes`
 * vocabularies (§1.3) and the `functrace` span vocabulary (§10.3).
 */
import type { AttributeManifest } from "./manifest.js";
import { ValueType } from "./value-type.js";

const S = ValueType.STRING;
const I = ValueType.INT64;
const B = ValueType.BOOL;
const T = ValueType.TIMESTAMP;
const D = ValueType.DURATION;
const IP = ValueType.IP_ADDRESS;
const M = ValueType.STRING_MAP;

function manifest(name: string, groups: ReadonlyArray<[ValueType, string]>): AttributeManifest {
  const attributes: Record<string, { valueType: ValueType }> = {};
  for (const [t, names] of groups) {
    for (const n of names.split(/\s+/).filter(Boolean)) attributes[n] = { valueType: t };
  }
  return Object.freeze({ name, attributes: Object.freeze(attributes) });
}

/** Proxy-produced attributes (manifest `istioproxy`). */
export const ISTIOPROXY_MANIFEST = manifest("istioproxy", [
  [IP, "origin.ip"],
  [S, "origin.uid origin.user request.id request.host request.method request.path request.url_path"],
  [S, "request.reason request.referer request.scheme request.useragent"],
  [M, "request.headers request.query_params response.headers request.auth.claims"],
  [I, "request.size request.total_size response.code response.size response.total_size destination.port"],
  [T, "request.time response.time context.timestamp context.time"],
  [D, "response.duration connection.duration"],
  [S, "response.grpc_status response.grpc_message source.uid source.user source.principal"],
  [S, "destination.uid destination.principal connection.event connection.id connection.requested_server_name"],
  [I, "connection.received.bytes connection.sent.bytes connection.received.bytes_total connection.sent.bytes_total"],
  [B, "connection.mtls context.reporter.local check.cache_hit quota.cache_hit"],
  [S, "context.protocol context.proxy_error_code context.reporter.kind context.reporter.uid context.proxy_version"],
  [S, "api.service api.version api.operation api.protocol"],
  [S, "request.auth.principal request.auth.audiences request.auth.presenter request.auth.raw_claims request.api_key"],
  [S, "rbac.permissive.response_code rbac.permissive.effective_policy_id check.error_message"],
  [I, "check.error_code"],
]);

/** Platform-produced attributes (manifest `kubernetes`). */
export const KUBERNETES_MANIFEST = manifest("kubernetes", [
  [IP, "source.ip destination.ip"],
  [M, "source.labels destination.labels source.metadata destination.metadata"],
  [S, "source.name source.namespace source.owner source.serviceAccount source.services"],
  [S, "source.workload.uid source.workload.name source.workload.namespace"],
  [S, "destination.name destination.namespace destination.owner destination.serviceAccount destination.container.name"],
  [S, "destination.service.uid destination.service.name destination.service.namespace destination.service.host"],
  [S, "destination.workload.uid destination.workload.name destination.workload.namespace"],
]);

/** Span attributes produced by the functrace bridge (§10.3). */
export const FUNCTRACE_MANIFEST = manifest("functrace", [
  [S, "span.name span.kind span.trace_id span.id span.parent_id span.error_type span.error_message span.file"],
  [I, "span.flow span.depth span.line"],
  [T, "span.start_time span.end_time request.time"],
  [D, "span.duration response.duration"],
  [B, "span.error"],
  [M, "span.attributes"],
  // Added with the span bridge (src/mixer-bridge/vocabulary.ts documents the whole list).
  [S, "span.bounded_name span.origin.id"],
  [I, "span.origin.flow"],
  [B, "span.async"],
  [ValueType.DOUBLE, "span.duration_ms"],
  [S, "context.reporter.kind context.protocol destination.service.name destination.namespace"],
]);

/** All built-in manifests, in the order they are unioned. */
export const STANDARD_MANIFESTS: readonly AttributeManifest[] = Object.freeze([
  ISTIOPROXY_MANIFEST,
  KUBERNETES_MANIFEST,
  FUNCTRACE_MANIFEST,
]);
