/**
 * Admission of one call: the shared-secret token (constant-time comparison), a token-bucket
 * rate limit over all clients and a bound on calls in progress. Each refusal is a gRPC status.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { status, type Metadata } from "@grpc/grpc-js";

/** A refusal: the gRPC code and message to send. */
export interface Refusal {
  readonly code: status;
  readonly details: string;
}

const digest = (s: string): Buffer => createHash("sha256").update(s).digest();

export class CallGuard {
  inFlight = 0;
  private readonly _token: Buffer | undefined;
  private readonly _rate: number;
  private readonly _maxInFlight: number;
  private _tokens: number;
  private _refilled = performance.now();

  constructor(opts: { token?: string; maxCallsPerSecond: number; maxInFlight: number }) {
    this._token = opts.token === undefined ? undefined : digest(opts.token);
    this._rate = opts.maxCallsPerSecond;
    this._maxInFlight = opts.maxInFlight;
    this._tokens = this._rate;
  }

  /** Undefined when the call may run (then `inFlight` counts it until `release()`). */
  admit(metadata: Metadata): Refusal | undefined {
    if (this._token !== undefined && !this._authorized(metadata)) return { code: status.UNAUTHENTICATED, details: "missing or wrong token (metadata authorization: Bearer <token>)" };
    if (this._rate > 0 && !this._take()) return { code: status.RESOURCE_EXHAUSTED, details: `rate limit: more than ${this._rate} calls per second` };
    if (this.inFlight >= this._maxInFlight) return { code: status.RESOURCE_EXHAUSTED, details: `too many calls in progress (limit ${this._maxInFlight})` };
    this.inFlight++;
    return undefined;
  }

  release(): void {
    this.inFlight--;
  }

  private _authorized(metadata: Metadata): boolean {
    const values = metadata.get("authorization");
    if (values.length !== 1 || typeof values[0] !== "string") return false;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(values[0]);
    return m !== null && timingSafeEqual(digest(m[1]!), this._token!);
  }

  private _take(): boolean {
    const now = performance.now();
    // Burst: one second's worth.
    this._tokens = Math.min(this._rate, this._tokens + ((now - this._refilled) / 1000) * this._rate);
    this._refilled = now;
    if (this._tokens < 1) return false;
    this._tokens--;
    return true;
  }
}
