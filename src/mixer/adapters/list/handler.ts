import { createHash } from "node:crypto";
import { typeOfValue, formatValue, ValueType, type Value } from "../../attribute/index.js";
import type { CheckResult, Handler, Instance } from "../../adapter/types.js";
import { StatusCode } from "../../adapter/status.js";
import type { ListConfig } from "./config.js";
import { createMatcher, parseListContent, type ListMatcher } from "./matchers.js";

/** Fetches provider content; injectable for tests. Resolves `{status, body}`. */
export type ListFetcher = (url: string, signal?: AbortSignal) => Promise<{ status: number; body: string }>;

/** Default fetcher: global `fetch` (Node >= 18). */
export const httpFetcher: ListFetcher = async (url, signal) => {
  const res = await fetch(url, { signal });
  return { status: res.status, body: await res.text() };
};

/**
 * Whitelist/blacklist checks (Mixer listchecker). With a provider URL the list is fetched
 * on start and every refresh; failures keep the previous list; no success within `ttl`
 * purges it, after which checks fail with the last fetch error (an error, not a denial).
 */
export class ListHandler implements Handler {
  private readonly _cfg: ListConfig;
  private readonly _fetch: ListFetcher;
  private readonly _now: () => number;
  private _matcher: ListMatcher | undefined;
  private _hash = "";
  private _lastOk = -Infinity;
  private _lastError: Error | undefined;

  constructor(cfg: ListConfig, fetcher: ListFetcher = httpFetcher, now: () => number = Date.now) {
    this._cfg = cfg;
    this._fetch = fetcher;
    this._now = now;
    if (cfg.providerUrl === "") this._matcher = createMatcher(cfg.entryType, cfg.overrides);
  }

  /** Fetches the provider list once. Never throws; failures are remembered. */
  async refresh(signal?: AbortSignal): Promise<void> {
    if (this._cfg.providerUrl === "") return;
    try {
      const res = await this._fetch(this._cfg.providerUrl, signal);
      if (res.status !== 200) throw new Error(`could not fetch list from ${this._cfg.providerUrl}: HTTP ${res.status}`);
      const hash = createHash("sha1").update(res.body).digest("hex");
      if (hash !== this._hash || this._matcher === undefined) {
        const entries = parseListContent(this._cfg.entryType, res.body);
        this._matcher = createMatcher(this._cfg.entryType, [...entries, ...this._cfg.overrides]);
        this._hash = hash;
      }
      this._lastOk = this._now();
      this._lastError = undefined;
    } catch (e) {
      this._lastError = e instanceof Error ? e : new Error(String(e));
    }
  }

  handleCheck(_template: string, instance: Instance): CheckResult {
    const matcher = this._currentMatcher();
    if (matcher === undefined) {
      throw this._lastError ?? new Error(`list from ${this._cfg.providerUrl} is not available yet`);
    }
    const text = checkValueText(instance.value as Value | undefined);
    if (text === undefined) return this._result(StatusCode.INVALID_ARGUMENT, `${formatValue(instance.value as Value)} is not a valid string or IP address`);
    const found = matcher.contains(text);
    if (typeof found === "string") return this._result(StatusCode.INVALID_ARGUMENT, found);
    if (this._cfg.blacklist) return found ? this._result(StatusCode.PERMISSION_DENIED, `${text} is blacklisted`) : this._result(StatusCode.OK);
    return found ? this._result(StatusCode.OK) : this._result(StatusCode.PERMISSION_DENIED, `${text} is not whitelisted`);
  }

  close(): void {
    this._matcher = undefined;
  }

  private _currentMatcher(): ListMatcher | undefined {
    if (this._cfg.providerUrl !== "" && this._matcher !== undefined && this._now() - this._lastOk > this._cfg.ttlMs) {
      this._matcher = undefined; // no successful fetch within ttl: purge
      this._hash = "";
    }
    return this._matcher;
  }

  private _result(code: StatusCode, message?: string): CheckResult {
    return {
      status: message ? { code, message } : { code },
      validDurationMs: this._cfg.cachingIntervalMs,
      validUseCount: this._cfg.cachingUseCount,
    };
  }
}

/** STRING as is, IP as text; anything else cannot be checked. */
function checkValueText(v: Value | undefined): string | undefined {
  const t = typeOfValue(v);
  if (t === ValueType.STRING) return v as string;
  if (t === ValueType.IP_ADDRESS) return formatValue(v);
  return undefined;
}
