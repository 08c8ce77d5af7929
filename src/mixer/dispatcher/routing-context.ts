import type { Snapshot } from "../config/types.js";
import { Variety } from "../template/types.js";
import type { HandlerEntry } from "./handler-table.js";
import type { Destinations, RoutingTable } from "./routing-table.js";

/**
 * One config generation in use (istio routingcontext.go): snapshot, routing table and live
 * handlers, with a reference count so a config swap never affects a dispatch in flight.
 */
export class RoutingContext {
  readonly snapshot: Snapshot;
  readonly table: RoutingTable;
  readonly handlers: ReadonlyMap<string, HandlerEntry>;
  /** Precomputed for the Report fast path. */
  readonly reportEmpty: boolean;
  readonly reportDefaultOnly: boolean;
  readonly reportDefaults: Destinations;
  private _refs = 0;
  private _waiters: (() => void)[] = [];

  constructor(snapshot: Snapshot, table: RoutingTable, handlers: ReadonlyMap<string, HandlerEntry>) {
    this.snapshot = snapshot;
    this.table = table;
    this.handlers = handlers;
    this.reportEmpty = table.isEmpty(Variety.REPORT);
    this.reportDefaultOnly = table.defaultOnly(Variety.REPORT);
    this.reportDefaults = table.get(Variety.REPORT, "");
  }

  acquire(): this {
    this._refs++;
    return this;
  }

  release(): void {
    if (this._refs > 0) this._refs--;
    if (this._refs === 0) for (const w of this._waiters.splice(0)) w();
  }

  /** Users currently holding this context. */
  get refs(): number {
    return this._refs;
  }

  /** Resolves when no one holds the context, or after `maxWaitMs` (returns false then). */
  drained(maxWaitMs: number): Promise<boolean> {
    if (this._refs === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), maxWaitMs);
      timer.unref();
      this._waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
