import type { Bag } from "../attribute/index.js";
import type { Instance } from "../adapter/types.js";
import { Variety } from "../template/types.js";
import { invokeGuarded } from "./dispatch-state.js";
import type { RoutingContext } from "./routing-context.js";
import type { Destination, Destinations } from "./routing-table.js";
import { groupMatches, selectNamespace, SamplingMemo, type DispatchStats } from "./session.js";

/** What a Reporter needs from its dispatcher. */
export interface ReporterHost {
  /** The current routing context, acquired (ref-counted) for the caller. */
  acquire(): RoutingContext;
  readonly stats: DispatchStats;
  readonly callTimeoutMs: number;
  readonly maxBufferedPerDestination: number;
}

const NO_ERRORS: readonly Error[] = Object.freeze([]);

/**
 * Buffered Report (istio reporter.go): `report(bag)` builds instances synchronously and
 * appends them to per-destination buffers; `flush()` sends each non-empty buffer in ONE
 * handler call, all destinations in parallel, each guarded with a timeout, and aggregates
 * errors. A Reporter holds one config generation; after a flush it moves to the current one.
 */
export class Reporter {
  private readonly _host: ReporterHost;
  private _ctx: RoutingContext;
  private _buffers: Instance[][] = [];
  private _dests: Destination[] = [];
  private _dirty: number[] = [];
  private _memo: SamplingMemo;
  private _done = false;

  constructor(host: ReporterHost) {
    this._host = host;
    this._ctx = host.acquire();
    this._memo = new SamplingMemo(this._ctx.table.ruleCount);
  }

  /**
   * Routes one bag: matching rules' instances are built and buffered; nothing is sent.
   * Returns the instance build errors (empty when none). Never throws.
   */
  report(bag: Bag): readonly Error[] {
    const ctx = this._ctx;
    if (ctx.reportEmpty || this._done) return NO_ERRORS; // fast path: no Report rule at all
    const dests: Destinations = ctx.reportDefaultOnly ? ctx.reportDefaults : ctx.table.get(Variety.REPORT, selectNamespace(bag));
    let errors: Error[] | undefined;
    const stats = this._host.stats;
    for (let d = 0; d < dests.length; d++) {
      const dest = dests[d];
      for (let g = 0; g < dest.groups.length; g++) {
        const group = dest.groups[g];
        if (!groupMatches(group, bag, stats, this._memo)) continue;
        for (let i = 0; i < group.instances.length; i++) {
          try {
            this._push(dest, group.instances[i].compiled.build(bag));
          } catch (e) {
            stats.buildErrors++;
            (errors ??= []).push(e as Error);
          }
        }
      }
    }
    this._memo.reset();
    return errors ?? NO_ERRORS;
  }

  /** Instances waiting for the next flush. */
  get pending(): number {
    let n = 0;
    for (const id of this._dirty) n += this._buffers[id].length;
    return n;
  }

  /**
   * Sends all buffered instances: one call per destination, in parallel. Rejects with an
   * AggregateError naming each failing handler; the other destinations are still delivered.
   */
  async flush(): Promise<void> {
    if (this._dirty.length === 0) return this._rebind(); // nothing buffered: no handler call
    const dirty = this._dirty;
    this._dirty = [];
    const calls = dirty.map((id) => {
      const dest = this._dests[id];
      const batch = this._buffers[id];
      this._buffers[id] = [];
      return this._send(dest, batch);
    });
    const outs = await Promise.all(calls);
    this._rebind();
    const errors = outs.filter((e): e is Error => e !== undefined);
    if (errors.length > 0) throw new AggregateError(errors, `report failed for ${errors.length} destination(s): ${errors.map((e) => e.message).join("; ")}`);
  }

  /** Releases the config generation; later reports are ignored. Buffered data is dropped: flush first. */
  done(): void {
    if (this._done) return;
    this._done = true;
    this._dirty = [];
    this._buffers = [];
    this._ctx.release();
  }

  private _push(dest: Destination, inst: Instance): void {
    let buf = this._buffers[dest.id];
    if (buf === undefined) buf = this._buffers[dest.id] = [];
    if (buf.length === 0) {
      this._dirty.push(dest.id);
      this._dests[dest.id] = dest;
    }
    if (buf.length >= this._host.maxBufferedPerDestination) {
      this._host.stats.dropped++;
      return;
    }
    buf.push(inst);
  }

  private async _send(dest: Destination, batch: Instance[]): Promise<Error | undefined> {
    const h = dest.handler;
    const stats = this._host.stats;
    stats.dispatches++;
    const label = `${dest.template.name}:${dest.handlerFqn}(${dest.adapterName})`;
    if (typeof h.handleReport !== "function") {
      stats.dispatchErrors++;
      return new Error(`${label}: adapter does not actually support template: template='${dest.template.name}'`);
    }
    const out = await invokeGuarded(label, () => h.handleReport!(dest.template.name, batch), this._host.callTimeoutMs);
    if (out.ok) return undefined;
    stats.dispatchErrors++;
    return new Error(`failed to report all values: ${out.error.message}`, { cause: out.error.cause ?? out.error });
  }

  /** Moves to the dispatcher's current config generation once buffers are empty. */
  private _rebind(): void {
    if (this._done || this._dirty.length > 0) return;
    const next = this._host.acquire();
    if (next === this._ctx) {
      next.release();
      return;
    }
    this._ctx.release();
    this._ctx = next;
    this._buffers = [];
    this._dests = [];
    this._memo = new SamplingMemo(next.table.ruleCount);
  }
}
