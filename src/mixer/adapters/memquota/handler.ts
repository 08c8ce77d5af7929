import { formatValue, typeOfValue, ValueType, type Value } from "../../attribute/index.js";
import type { Handler, Instance, QuotaArgs, QuotaResult } from "../../adapter/types.js";
import { OK_STATUS } from "../../adapter/status.js";
import { DEFAULT_QUOTA_RESULT } from "../../adapter/results.js";
import type { Limit, MemQuotaConfig, QuotaLimit } from "./config.js";
import { RollingWindow } from "./rolling-window.js";

interface Remembered {
  readonly amount: number;
  readonly validDurationMs: number;
  readonly at: number;
}

/**
 * In-memory quotas (Mixer memquota): counting quotas (`valid_duration: 0`) and rate limits
 * over a rolling window, per instance FQN + dimensions, with first-match overrides and
 * request deduplication. Denial is `amount: 0` with an OK status. The clock is injectable.
 */
export class MemQuotaHandler implements Handler {
  private readonly _limits: Map<string, QuotaLimit>;
  private readonly _dedupMs: number;
  private readonly _now: () => number;
  private readonly _counters = new Map<string, number>();
  private readonly _windows = new Map<string, RollingWindow>();
  private _dedupCurrent = new Map<string, Remembered>();
  private _dedupPrevious = new Map<string, Remembered>();
  private _dedupRotated: number;

  constructor(cfg: MemQuotaConfig, now: () => number = Date.now) {
    this._limits = new Map(cfg.quotas.map((q) => [q.name, q]));
    this._dedupMs = cfg.minDeduplicationMs;
    this._now = now;
    this._dedupRotated = now();
  }

  handleQuota(_template: string, instance: Instance, args: QuotaArgs): QuotaResult {
    const q = this._limits.get(instance.name);
    if (q === undefined) throw new Error(`did not find limit defined for quota ${instance.name}`);
    const now = this._now();
    this._rotateDedup(now);
    const seen = args.deduplicationId ? (this._dedupCurrent.get(args.deduplicationId) ?? this._dedupPrevious.get(args.deduplicationId)) : undefined;
    if (seen) return { status: OK_STATUS, amount: seen.amount, validDurationMs: Math.max(seen.validDurationMs - (now - seen.at), 0) };
    if (args.quotaAmount === 0) return DEFAULT_QUOTA_RESULT;
    const dims = (instance.dimensions ?? {}) as Record<string, Value>;
    const limit = pickLimit(q, dims);
    const key = quotaKey(instance.name, dims);
    const result = limit.validDurationMs > 0 ? this._rate(key, limit, args, now) : this._count(key, limit, args);
    if (args.deduplicationId) this._dedupCurrent.set(args.deduplicationId, { amount: result.amount, validDurationMs: result.validDurationMs, at: now });
    return result;
  }

  close(): void {
    this._counters.clear();
    this._windows.clear();
  }

  private _count(key: string, limit: Limit, args: QuotaArgs): QuotaResult {
    const inUse = this._counters.get(key) ?? 0;
    if (args.quotaAmount < 0) {
      const left = Math.max(inUse + args.quotaAmount, 0);
      if (left === 0) this._counters.delete(key);
      else this._counters.set(key, left);
      return { status: OK_STATUS, amount: inUse - left, validDurationMs: 0 };
    }
    const available = limit.maxAmount - inUse;
    const amount = args.quotaAmount <= available ? args.quotaAmount : args.bestEffort ? Math.max(available, 0) : 0;
    if (amount > 0) this._counters.set(key, inUse + amount);
    return { status: OK_STATUS, amount, validDurationMs: 0 };
  }

  private _rate(key: string, limit: Limit, args: QuotaArgs, now: number): QuotaResult {
    let w = this._windows.get(key);
    if (w === undefined) {
      w = new RollingWindow(limit.maxAmount, limit.validDurationMs, now);
      this._windows.set(key, w);
    }
    if (args.quotaAmount < 0) return { status: OK_STATUS, amount: w.release(-args.quotaAmount, now), validDurationMs: 0 };
    const amount = w.alloc(args.quotaAmount, args.bestEffort, now);
    return { status: OK_STATUS, amount, validDurationMs: amount > 0 ? limit.validDurationMs : 0 };
  }

  /** Entries live between 1× and 2× the dedup duration (two generations). */
  private _rotateDedup(now: number): void {
    const elapsed = now - this._dedupRotated;
    if (elapsed < this._dedupMs) return;
    this._dedupPrevious = elapsed >= 2 * this._dedupMs ? new Map() : this._dedupCurrent;
    this._dedupCurrent = new Map();
    this._dedupRotated = now;
  }
}

/** The first override whose every dimension equals the instance's (string form), else the quota itself. */
export function pickLimit(q: QuotaLimit, dims: Record<string, Value>): Limit {
  for (const o of q.overrides) {
    const ok = Object.entries(o.dimensions).every(([k, v]) => k in dims && formatValue(dims[k]) === v);
    if (ok) return o;
  }
  return q;
}

/** `fqn;k1=v1;k2=v2` with keys sorted; INT64 in hex like Mixer. */
export function quotaKey(fqn: string, dims: Record<string, Value>): string {
  let key = fqn;
  for (const k of Object.keys(dims).sort()) {
    const v = dims[k];
    key += `;${k}=${typeOfValue(v) === ValueType.INT64 ? (v as bigint).toString(16) : formatValue(v)}`;
  }
  return key;
}
