import { randomBytes, randomFillSync } from "node:crypto";
import type { Flow, Frame } from "../frame.js";

/*
 * Span ids are 16 hex characters: a random 32-bit process prefix and the frame's 32-bit
 * sequence number (Frame.id). They are derived, never stored, so the hot path pays nothing.
 * Past 2^32 calls the high part of the sequence is mixed into the prefix, so ids stay unique.
 */
const PREFIX = randomBytes(4).readUInt32BE(0) | 0x1000_0000;
const TWO_32 = 0x1_0000_0000;

/** The 16-hex-character span id of a frame. */
export function spanIdOf(frame: Frame): string {
  return spanIdFromNumber(frame.id);
}

const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? "0" : "") + i.toString(16));
let prefixEpoch = 0;
let prefixText = hex8(PREFIX);

/** The span id for a frame sequence number. */
export function spanIdFromNumber(id: number): string {
  const epoch = Math.floor(id / TWO_32);
  if (epoch !== prefixEpoch) {
    prefixEpoch = epoch;
    prefixText = hex8((PREFIX + epoch) >>> 0);
  }
  return prefixText + hex8(id >>> 0);
}

function hex8(n: number): string {
  return HEX[n >>> 24] + HEX[(n >>> 16) & 255] + HEX[(n >>> 8) & 255] + HEX[n & 255];
}

const POOL = Buffer.alloc(4096);
let poolOffset = POOL.length;

/** A fresh random 128-bit trace id (32 lowercase hex characters), from a pooled CSPRNG buffer. */
export function newTraceId(): string {
  if (poolOffset + 16 > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const id = POOL.toString("hex", poolOffset, poolOffset + 16);
  poolOffset += 16;
  return id;
}

/**
 * What a flow is attached to: its trace id and, when the flow started inside a span that is
 * not a functrace call (an HTTP server span, an incoming traceparent, a span started through
 * @opentelemetry/api), that span's id. Stored in Flow.ext.
 */
export class FlowLink {
  readonly traceId: string;
  /** The foreign parent span of this flow's entry calls; undefined: the engine's parent frame. */
  readonly parentSpanId: string | undefined;

  constructor(traceId: string, parentSpanId: string | undefined) {
    this.traceId = traceId;
    this.parentSpanId = parentSpanId;
  }
}

/** The link a flow carries, if any (set at flow start by the OpenTelemetry bridge). */
export function ownLink(flow: Flow): FlowLink | undefined {
  return flow.ext instanceof FlowLink ? flow.ext : undefined;
}

/**
 * The trace id of a flow: the nearest link up the flow chain, else the root flow's (generated
 * on first use, once per root flow).
 */
export function traceIdOf(flow: Flow): string {
  for (let f: Flow | null = flow; f !== null; f = f.parent) {
    const link = ownLink(f);
    if (link !== undefined) return link.traceId;
  }
  const root = flow.root;
  const link = new FlowLink(newTraceId(), undefined);
  root.ext = link;
  return link.traceId;
}
