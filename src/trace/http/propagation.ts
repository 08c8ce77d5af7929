/*
 * W3C trace context and B3 headers: what an incoming request continues and what an outgoing
 * request carries on. Parsing is strict (bad headers are ignored, never thrown).
 */

/** A trace to continue: its id, the caller's span id and its sampling decision. */
export interface RemoteParent {
  readonly traceId: string;
  readonly spanId: string;
  /** undefined: the sender did not decide (B3 without a sampling flag). */
  readonly sampled: boolean | undefined;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;
const HEX = /^[0-9a-f]+$/;
const ZERO = /^0+$/;

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === "string" ? text.trim().toLowerCase() : undefined;
}

/** `traceparent: 00-<trace>-<span>-<flags>` (version ff and all-zero ids are invalid). */
export function parseTraceparent(value: string | undefined): RemoteParent | undefined {
  if (value === undefined || value.length > 512) return undefined;
  const m = TRACEPARENT.exec(value);
  if (m === null || m[1] === "ff" || (m[1] === "00" && value.length !== 55)) return undefined;
  if (ZERO.test(m[2]) || ZERO.test(m[3])) return undefined;
  return { traceId: m[2], spanId: m[3], sampled: (parseInt(m[4], 16) & 1) === 1 };
}

/** B3 single (`b3: trace-span-sampled`) or multi (`x-b3-traceid`, `x-b3-spanid`, `x-b3-sampled`) headers. */
export function parseB3(headers: Headers): RemoteParent | undefined {
  const single = header(headers, "b3");
  if (single !== undefined) {
    const [traceId, spanId, flag] = single.split("-");
    return remote(traceId, spanId, flag);
  }
  const flags = header(headers, "x-b3-flags");
  return remote(header(headers, "x-b3-traceid"), header(headers, "x-b3-spanid"), flags === "1" ? "d" : header(headers, "x-b3-sampled"));
}

function remote(traceId: string | undefined, spanId: string | undefined, flag: string | undefined): RemoteParent | undefined {
  if (traceId === undefined || spanId === undefined) return undefined;
  if ((traceId.length !== 32 && traceId.length !== 16) || spanId.length !== 16) return undefined;
  if (!HEX.test(traceId) || !HEX.test(spanId) || ZERO.test(traceId) || ZERO.test(spanId)) return undefined;
  const sampled = flag === "1" || flag === "d" || flag === "true" ? true : flag === "0" || flag === "false" ? false : undefined;
  return { traceId: traceId.padStart(32, "0"), spanId, sampled };
}

/** The parent an incoming request continues: traceparent first, then B3. */
export function remoteParentOf(headers: Headers): RemoteParent | undefined {
  return parseTraceparent(header(headers, "traceparent")) ?? parseB3(headers);
}

/** The traceparent value for an outgoing request made inside span `spanId` of trace `traceId`. */
export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? "01" : "00"}`;
}
