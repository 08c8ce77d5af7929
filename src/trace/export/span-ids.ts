import type { Flow, Frame } from "../frame.js";
import { fillRandom } from "../random.js";

/*
 * Span ids are 16 hex characters: a random 32-bit process prefix and the frame's 32-bit
 * sequence number (Frame.id). They are derived, never stored, so the hot path pays nothing.
 * Past 2^32 calls the high part of the sequence is mixed into the prefix, so ids stay unique.
 */
const TWO_32 = 0x1_0000_0000;

const PREFIX = (() => {
  const word = new Uint32Array(1);
  fillRandom(word);
  return word[0] | 0x1000_0000;
})();

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

/**
 * The high 32 bits of the span id of a frame sequence number (the low 32 bits are `id | 0`),
 * as a signed 32-bit integer: the encoders write words with `>>>` and `setUint32`, and an int32
 * is a small integer that V8 passes unboxed, where an unsigned word above 2^31 is a heap number
 * allocated at every call it is passed to.
 */
export function spanIdHigh(id: number): number {
  return (PREFIX + Math.floor(id / TWO_32)) | 0;
}

function hex8(n: number): string {
  return HEX[n >>> 24] + HEX[(n >>> 16) & 255] + HEX[(n >>> 8) & 255] + HEX[n & 255];
}

const POOL = new Uint32Array(1024);
let poolOffset = POOL.length;

/**
 * Four random 32-bit words at the returned offset of POOL: a 128-bit id, never all zero (four
 * words in a row are random.ts's whole generator state, which never is).
 */
function randomWords(): number {
  if (poolOffset + 4 > POOL.length) {
    fillRandom(POOL);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += 4;
  return at;
}

/** A fresh random 128-bit trace id (32 lowercase hex characters). */
export function newTraceId(): string {
  const at = randomWords();
  return hex8(POOL[at]) + hex8(POOL[at + 1]) + hex8(POOL[at + 2]) + hex8(POOL[at + 3]);
}

/**
 * What a flow is attached to: its trace id and, when the flow started inside a span that is
 * not a functrace call (an HTTP server span, an incoming traceparent, a span started through
 * @opentelemetry/api), that span's id. Stored in Flow.ext. A trace id functrace generates is
 * kept as four 32-bit words and turned into text only when asked (the Zipkin encoder writes
 * the words as hex bytes directly: one root flow per call pays no string for it).
 */
export class FlowLink {
  /** The foreign parent span of this flow's entry calls; undefined: the engine's parent frame. */
  readonly parentSpanId: string | undefined;
  /** The 128 bits of a generated trace id, high word first, as int32 (see spanIdHigh); all 0 for a trace id given as text. */
  readonly w0: number;
  readonly w1: number;
  readonly w2: number;
  readonly w3: number;
  /** True when the trace id was generated here (then w0..w3 hold it). */
  readonly generated: boolean;
  private _traceId: string | undefined;

  /** `traceId` undefined: a new random trace id. */
  constructor(traceId: string | undefined, parentSpanId: string | undefined) {
    this.parentSpanId = parentSpanId;
    this._traceId = traceId;
    if (traceId !== undefined) {
      // the fields in the same order as below: one hidden class for every link
      this.w0 = 0;
      this.w1 = 0;
      this.w2 = 0;
      this.w3 = 0;
      this.generated = false;
      return;
    }
    const at = randomWords();
    this.w0 = POOL[at] | 0;
    this.w1 = POOL[at + 1] | 0;
    this.w2 = POOL[at + 2] | 0;
    this.w3 = POOL[at + 3] | 0;
    this.generated = true;
  }

  /** 32 lowercase hex characters. */
  get traceId(): string {
    return (this._traceId ??= hex8(this.w0) + hex8(this.w1) + hex8(this.w2) + hex8(this.w3));
  }
}

/*
 * The newest link, kept alive. A FlowLink's hidden class is reachable only from its instances (V8
 * holds map transitions weakly, and the words' representation moves from Smi to Double with the
 * first large random word, so the class in use is the newest one): when a full GC found no link
 * alive (every flow of a burst exported), it collected the class and deoptimized every function
 * whose optimized code checks for it (the export sink's onExit, tryAppend, parentOf, the Zipkin
 * encoder: 34-38 times each in 80 samples that each followed a gc()). Zipkin at 512 calls per
 * turn, Node 22: 0.44 ms of CPU a turn without the gc(), 1.47 with it.
 */
let _newestLink: FlowLink | null = null; // held, never read (the underscore tells the linter)

/** The link a flow carries, if any (set at flow start by the OpenTelemetry bridge). */
export function ownLink(flow: Flow): FlowLink | undefined {
  return flow.ext instanceof FlowLink ? flow.ext : undefined;
}

/**
 * The link that decides a flow's trace: the link of the flow's trace anchor (Flow.trace: a
 * root flow, or a flow linked to a foreign trace), created on first use for a root flow, once
 * per root flow, with a new trace id.
 */
export function traceLinkOf(flow: Flow): FlowLink {
  const anchor = flow.trace;
  const ext = anchor.ext;
  if (ext instanceof FlowLink) return ext;
  const link = new FlowLink(undefined, undefined);
  anchor.ext = link;
  _newestLink = link;
  return link;
}

/** The trace id of a flow (see traceLinkOf). */
export function traceIdOf(flow: Flow): string {
  return traceLinkOf(flow).traceId;
}
