/**
 * Mixer's messages (mixer.proto) in the object form proto-loader produces and accepts, and
 * the conversions from the dispatcher's results: statuses, durations, referenced attributes
 * (with their own message dictionary, §2.4) and route directives.
 */
import { WordEncoder, type CompressedAttributes, type ReportRequest } from "../attribute/wire-types.js";
import type { Status } from "../adapter/status.js";
import type { ReferencedAttributes } from "../expr/index.js";
import type { RouteDirective } from "../dispatcher/index.js";

/** protobuf Duration / Timestamp (int64 seconds as a decimal string). */
export interface WireDuration {
  seconds: string | number;
  nanos?: number;
}

/** google.rpc.Status. */
export interface WireStatus {
  code: number;
  message?: string;
}

/** CheckRequest. */
export interface CheckRequestMessage {
  attributes?: CompressedAttributes;
  globalWordCount?: number;
  deduplicationId?: string;
  quotas?: Record<string, { amount?: string | number; bestEffort?: boolean }>;
}

/** ReferencedAttributes. */
export interface WireReferencedAttributes {
  words?: string[];
  attributeMatches: { name: number; condition: number; mapKey?: number }[];
}

/** CheckResponse.PreconditionResult. */
export interface PreconditionMessage {
  status: WireStatus;
  validDuration: WireDuration;
  validUseCount: number;
  referencedAttributes: WireReferencedAttributes;
  routeDirective?: { requestHeaderOperations: WireHeaderOperation[]; responseHeaderOperations: WireHeaderOperation[] };
}

/** HeaderOperation (operation: REPLACE 0, REMOVE 1, APPEND 2). */
export interface WireHeaderOperation {
  name: string;
  value: string;
  operation: number;
}

/** CheckResponse.QuotaResult. */
export interface QuotaResultMessage {
  validDuration: WireDuration;
  grantedAmount: string;
  status: WireStatus;
  referencedAttributes: WireReferencedAttributes;
}

/** CheckResponse. */
export interface CheckResponseMessage {
  precondition: PreconditionMessage;
  quotas?: Record<string, QuotaResultMessage>;
}

export type { ReportRequest as ReportRequestMessage };

/** Milliseconds as a protobuf Duration. */
export function durationOf(ms: number): WireDuration {
  const total = Math.max(0, Math.round(Number.isFinite(ms) ? ms * 1e6 : 0));
  const seconds = Math.floor(total / 1e9);
  return { seconds: String(seconds), nanos: total - seconds * 1e9 };
}

/** A status for the wire (message only when non-empty). */
export function statusOf(s: Status): WireStatus {
  return s.message ? { code: s.code, message: s.message } : { code: s.code };
}

/**
 * Referenced attributes encoded like CompressedAttributes: a word uses its global index only
 * when below the caller's `global_word_count` (Mixer: `0` means no global word), else it goes
 * to the message's own `words`.
 */
export function encodeReferenced(refs: ReferencedAttributes, globalWordCount: number): WireReferencedAttributes {
  const enc = new WordEncoder(globalWordCount);
  const attributeMatches = refs.matches().map((m) => ({
    name: enc.index(m.name),
    condition: m.condition,
    ...(m.mapKey !== undefined ? { mapKey: enc.index(m.mapKey) } : {}),
  }));
  return enc.words.length > 0 ? { words: enc.words, attributeMatches } : { attributeMatches };
}

const OPERATIONS: Record<string, number> = { REPLACE: 0, REMOVE: 1, APPEND: 2 };

/** A route directive for the wire. */
export function routeDirectiveOf(d: RouteDirective): NonNullable<PreconditionMessage["routeDirective"]> {
  const ops = (list: RouteDirective["requestHeaderOperations"]) => list.map((o) => ({ name: o.name, value: o.value, operation: OPERATIONS[o.operation] ?? 0 }));
  return { requestHeaderOperations: ops(d.requestHeaderOperations), responseHeaderOperations: ops(d.responseHeaderOperations) };
}
