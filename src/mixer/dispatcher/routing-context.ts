import type { Snapshot } from "../config/types.js";
import { Variety } from "../template/types.js";
import type { HandlerEntry } from "./handler-table.js";
import type { Destinations, RoutingTable } from "./routing-table.js";

interface Waiter {
  readonly timer: NodeJS.Timeout;
  readonly resolve: (drained: boolean) => void;
}

/**
 * One config generation in use (istio routingcontext.go): snapshot, routing table and live
 * handlers. Two reference counts keep a config swap from affecting work in flight:
 * **calls** (a Check, Quota, Preprocess or flush running now; short) and **reporters**
 * (Reporters bound to this generation until their next flush or `done()`; long-lived).
 * A retired generation's stale handlers are closed once both drop to zero (bounded wait).
 * `abandonReporters()` (dispatcher close) stops waiting for reporters.
 */
export class RoutingContext {
  readonly snapshot: Snapshot;
  readonly table: RoutingTable;
  readonly handlers: ReadonlyMap<string, HandlerEntry>;
  /** Precomputed for the Report fast path. */
  readonly reportEmpty: boolean;
  readonly reportDefaultOnly: boolean;
  readonly reportDefaults: Destinations;
  private _calls = 0;
  private _reporters = 0;
  private _abandoned = false;
  private _waiters: Waiter[] = [];

  constructor(snapshot: Snapshot, table: RoutingTable, handlers: ReadonlyMap<string, HandlerEntry>) {
    this.snapshot = snapshot;
    this.table = table;
    this.handlers = handlers;
    this.reportEmpty = table.isEmpty(Variety.REPORT);
    this.reportDefaultOnly = table.defaultOnly(Variety.REPORT);
    this.reportDefaults = table.get(Variety.REPORT, "");
  }

  /** Holds the generation for one call in flight (pair with `release()`). */
  acquire(): this {
    this._calls++;
    return this;
  }

  release(): void {
    if (this._calls > 0) this._calls--;
    this._notify();
  }

  /** Binds a Reporter to the generation (pair with `detach()`). */
  attach(): this {
    this._reporters++;
    return this;
  }

  detach(): void {
    if (this._reporters > 0) this._reporters--;
    this._notify();
  }

  /** Calls in flight plus bound reporters. */
  get refs(): number {
    return this._calls + this._reporters;
  }

  /** Reporters currently bound. */
  get reporters(): number {
    return this._reporters;
  }

  /** True once the dispatcher closed while reporters were still bound to this generation. */
  get abandoned(): boolean {
    return this._abandoned;
  }

  /**
   * Dispatcher close: bound reporters are no longer waited for (their later reports are
   * ignored, their unflushed instances dropped) and pending waits keep the process alive
   * (ref'd timers) so `close()` always settles. Returns how many reporters were bound.
   */
  abandonReporters(): number {
    this._abandoned = true;
    for (const w of this._waiters) w.timer.ref();
    this._notify();
    return this._reporters;
  }

  /**
   * Resolves true when no call is in flight and no reporter is bound (reporters are not
   * counted once abandoned), or false after `maxWaitMs`. The timer is unref'd (a retiring
   * generation must not keep the process alive) until `abandonReporters()`.
   */
  drained(maxWaitMs: number): Promise<boolean> {
    if (this._idle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this._waiters = this._waiters.filter((w) => w.timer !== timer);
        resolve(false);
      }, maxWaitMs);
      if (!this._abandoned) timer.unref();
      this._waiters.push({ timer, resolve });
    });
  }

  private _idle(): boolean {
    return this._calls === 0 && (this._abandoned || this._reporters === 0);
  }

  private _notify(): void {
    if (this._waiters.length === 0 || !this._idle()) return;
    for (const w of this._waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve(true);
    }
  }
}
