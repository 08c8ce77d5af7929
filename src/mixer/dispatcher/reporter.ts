import type { Bag } from "../attribute/index.js";
import type { Instance } from "../adapter/types.js";
import { Variety } from "../template/types.js";
import { guardPromise, isThenable, wrap } from "./dispatch-state.js";
import type { RoutingContext } from "./routing-context.js";
import type { Destination, Destinations } from "./routing-table.js";
import { groupMatches, selectNamespace, SamplingMemo, type DispatchStats } from "./session.js";

/** What a Reporter needs from its dispatcher. */
export interface ReporterHost {
  /** The current routing context, held for one call in flight. */
  acquire(): RoutingContext;
  /** The current routing context, with a Reporter bound to it. */
  attachReporter(): RoutingContext;
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
 * When the dispatcher closes while a Reporter is still bound (never `done()`), the Reporter
 * is abandoned: later reports are ignored and unflushed instances are dropped (counted in
 * `stats.dropped`) instead of reaching closed handlers.
 */
export class Reporter {
  private readonly _host: ReporterHost;
  private _ctx: RoutingContext;
  /** One buffer per destination id of the bound generation, allocated once per generation. */
  private _buffers: Instance[][];
  private _dests: (Destination | undefined)[];
  private _dirty: number[] = [];
  private _memo: SamplingMemo;
  private readonly _max: number;
  /** A one-call reporter (`dispatcher.report()`): holds a call reference, never rebinds. */
  private readonly _call: boolean;
  private _done = false;

  /** `call`: internal, for a reporter living inside one dispatcher call (waited for on close). */
  constructor(host: ReporterHost, call = false) {
    this._host = host;
    this._call = call;
    this._max = host.maxBufferedPerDestination;
    this._ctx = call ? host.acquire() : host.attachReporter();
    this._memo = new SamplingMemo(this._ctx.table.ruleCount);
    this._buffers = newBuffers(this._ctx.table.destinationCount);
    this._dests = new Array<Destination | undefined>(this._ctx.table.destinationCount).fill(undefined);
  }

  /**
   * Routes one bag: matching rules' instances are built and buffered; nothing is sent.
   * Returns the instance build errors (empty when none). Never throws.
   */
  report(bag: Bag): readonly Error[] {
    const ctx = this._ctx;
    // Fast path: no Report rule at all (or released, or abandoned by dispatcher close).
    if (ctx.reportEmpty || this._done || (ctx.abandoned && !this._call)) return NO_ERRORS;
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
    const ctx = this._ctx;
    if (ctx.abandoned && !this._call) return this._dropAll();
    const dirty = this._dirty;
    this._dirty = [];
    const outs: (Error | undefined | Promise<Error | undefined>)[] = [];
    // A call reference while handlers run: a dispatcher close waits for this flush.
    ctx.acquire();
    try {
      // Synchronous handlers complete here; only asynchronous ones cost a promise (one per destination).
      let async = false;
      for (let k = 0; k < dirty.length; k++) {
        const id = dirty[k];
        const batch = this._buffers[id];
        this._buffers[id] = [];
        const out = this._send(this._dests[id]!, batch);
        async ||= out instanceof Promise;
        outs.push(out);
      }
      if (async) for (let k = 0; k < outs.length; k++) outs[k] = await outs[k];
    } finally {
      ctx.release();
    }
    this._rebind();
    const errors = outs.filter((e): e is Error => e instanceof Error); // routing order
    if (errors.length > 0) throw new AggregateError(errors, `report failed for ${errors.length} destination(s): ${errors.map((e) => e.message).join("; ")}`);
  }

  /** Releases the config generation; later reports are ignored. Buffered data is dropped: flush first. */
  done(): void {
    if (this._done) return;
    this._done = true;
    this._dirty = [];
    this._buffers = [];
    if (this._call) this._ctx.release();
    else this._ctx.detach();
  }

  private _push(dest: Destination, inst: Instance): void {
    const buf = this._buffers[dest.id];
    const n = buf.length;
    if (n >= this._max) {
      this._host.stats.dropped++;
      return;
    }
    if (n === 0) {
      this._dirty.push(dest.id);
      this._dests[dest.id] = dest;
    }
    buf.push(inst);
  }

  /** One guarded handler call: the error (or undefined) now, or a promise of it when the handler is asynchronous. */
  private _send(dest: Destination, batch: Instance[]): Error | undefined | Promise<Error | undefined> {
    const h = dest.handler;
    const stats = this._host.stats;
    stats.dispatches++;
    if (typeof h.handleReport !== "function") {
      stats.dispatchErrors++;
      return new Error(`${dest.label}: adapter does not actually support template: template='${dest.template.name}'`);
    }
    let result: void | Promise<void>;
    try {
      result = h.handleReport(dest.template.name, batch);
    } catch (e) {
      return reportFailure(stats, wrap(dest.label, e));
    }
    if (!isThenable(result)) return undefined;
    return guardPromise(dest.label, result, this._host.callTimeoutMs).then((out) => (out.ok ? undefined : reportFailure(stats, out.error)));
  }

  /** Abandoned by dispatcher close: buffered instances are counted as dropped, never sent. */
  private _dropAll(): void {
    for (const id of this._dirty) {
      this._host.stats.dropped += this._buffers[id].length;
      this._buffers[id] = [];
    }
    this._dirty = [];
    this._rebind();
  }

  /** Moves to the dispatcher's current config generation once buffers are empty. */
  private _rebind(): void {
    if (this._done || this._call || this._dirty.length > 0) return;
    const next = this._host.attachReporter();
    if (next === this._ctx) {
      next.detach();
      return;
    }
    this._ctx.detach();
    this._ctx = next;
    this._buffers = newBuffers(next.table.destinationCount);
    this._dests = new Array<Destination | undefined>(next.table.destinationCount).fill(undefined);
    this._memo = new SamplingMemo(next.table.ruleCount);
  }
}

function reportFailure(stats: DispatchStats, error: Error): Error {
  stats.dispatchErrors++;
  return new Error(`failed to report all values: ${error.message}`, { cause: error.cause ?? error });
}

function newBuffers(n: number): Instance[][] {
  const out: Instance[][] = [];
  for (let i = 0; i < n; i++) out.push([]);
  return out;
}
