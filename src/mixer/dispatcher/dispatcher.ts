import type { AttributeManifest, Bag, MutableBag } from "../attribute/index.js";
import { ReferencedAttributes } from "../expr/index.js";
import { AdapterRegistry } from "../adapter/registry.js";
import { NOOP_LOG_SINK, type LogSink } from "../adapter/logger.js";
import type { QuotaArgs } from "../adapter/types.js";
import { BUILTIN_ADAPTERS } from "../adapters/builtin.js";
import { ConfigValidationError, type ConfigError } from "../config/errors.js";
import { loadConfigFiles, sourceFromObjects, type LoadedSource } from "../config/source.js";
import type { ConfigWatch } from "../config/watch.js";
import type { Snapshot } from "../config/types.js";
import { buildSnapshot } from "../config/validate.js";
import type { SamplingDeps } from "../config/sampling.js";
import { buildRoutingTable } from "./build-routing-table.js";
import { runCheck, type CheckResponse } from "./check.js";
import { buildHandlerTable, closeStaleHandlers } from "./handler-table.js";
import { preprocess } from "./preprocess.js";
import { runQuota, type QuotaResponse } from "./quota.js";
import { Reporter, type ReporterHost } from "./reporter.js";
import { RoutingContext } from "./routing-context.js";
import { RoutingTable } from "./routing-table.js";
import { Variety } from "../template/types.js";
import { createStats, type DispatchStats } from "./session.js";
import { watchAndReload, type WatchConfig } from "./watch-reload.js";
import { safeSink } from "./safe-sink.js";

/** Dispatcher options; every field has a default. */
export interface DispatcherOptions {
  /** Adapters (default: built-ins; add prometheus/statsd/... infos here). */
  readonly adapters?: readonly import("../adapter/types.js").AdapterInfo[];
  readonly defaultNamespace?: string;
  readonly builtinManifests?: readonly AttributeManifest[];
  /** Where adapter and runtime logs go (default: dropped). */
  readonly logSink?: LogSink;
  /** Bound on each handler call (ms, default 5000). */
  readonly callTimeoutMs?: number;
  /** Bound on each handler build/close (ms, default 10000). */
  readonly buildTimeoutMs?: number;
  /** Report instances buffered per destination before dropping (default 100000). */
  readonly maxBufferedPerDestination?: number;
  /** Refuse (throw ConfigValidationError) a config with any error instead of best effort. */
  readonly strict?: boolean;
  /** Max wait for in-flight dispatches before closing replaced handlers (ms, default 10000). */
  readonly drainTimeoutMs?: number;
  readonly sampling?: Partial<SamplingDeps>;
  /** Reload the files given to `loadFiles` when they change (see {@link WatchConfig}). */
  readonly watch?: boolean | WatchConfig;
}

/** Result of a config change. */
export interface ConfigUpdate {
  readonly snapshot: Snapshot;
  /** Validation problems (the valid rest is live unless `strict`). */
  readonly errors: readonly ConfigError[];
  /** Handlers whose build failed (their rules are skipped). */
  readonly buildErrors: readonly Error[];
}

/**
 * The embedded Mixer dispatcher (istio dispatcher.go): holds the current config generation,
 * swaps it atomically on change (dispatches in flight finish on theirs; unchanged handlers
 * are reused, replaced ones closed after the old generation drains) and runs Report, Check,
 * Quota and Preprocess. Handler errors never escape as throws from `report()`.
 */
export class Dispatcher implements ReporterHost {
  readonly stats: DispatchStats = createStats();
  readonly callTimeoutMs: number;
  readonly maxBufferedPerDestination: number;
  private readonly _opts: DispatcherOptions;
  private readonly _registry: AdapterRegistry;
  /** `logSink` guarded against throwing. */
  private readonly _sink: LogSink;
  private _ctx: RoutingContext;
  private _paths: readonly string[] | undefined;
  private _updating: Promise<unknown> = Promise.resolve();
  private readonly _closing = new Set<Promise<void>>();
  /** Generations replaced but not yet closed (their handlers wait for users to drain). */
  private readonly _retiring = new Set<RoutingContext>();
  private _watch: ConfigWatch | undefined;
  private _closed = false;

  constructor(opts: DispatcherOptions = {}) {
    this._opts = opts;
    this._registry = new AdapterRegistry(opts.adapters ?? BUILTIN_ADAPTERS);
    this._sink = safeSink(opts.logSink ?? NOOP_LOG_SINK);
    this.callTimeoutMs = opts.callTimeoutMs ?? 5000;
    this.maxBufferedPerDestination = opts.maxBufferedPerDestination ?? 100_000;
    const empty = buildSnapshot(sourceFromObjects([]), this._snapshotOptions());
    this._ctx = new RoutingContext(empty, new RoutingTable(new Map(), new Map(), 0, 0), new Map());
  }

  /** The active snapshot. */
  get snapshot(): Snapshot {
    return this._ctx.snapshot;
  }

  /** The active routing table (for diagnostics). */
  get routingTable(): RoutingTable {
    return this._ctx.table;
  }

  /** Loads YAML files/folders and makes them the config. Remembered for `reload()`. */
  loadFiles(paths: string | readonly string[]): Promise<ConfigUpdate> {
    this._paths = typeof paths === "string" ? [paths] : paths;
    const done = this.applySource(loadConfigFiles(this._paths));
    if (this._opts.watch) this.watch(this._opts.watch === true ? {} : this._opts.watch);
    return done;
  }

  /**
   * Watches the files/folders given to `loadFiles` and reloads after `debounceMs` of quiet.
   * A watch-triggered reload is all-or-nothing: any validation problem keeps the current
   * config and every problem is logged (`logSink`, scope `config`) and passed to `onReload`.
   * Replaces an earlier watch; stopped by `unwatch()` or `close()`. Never keeps the process alive.
   */
  watch(opts: WatchConfig = {}): void {
    if (!this._paths) throw new Error("watch() needs a previous loadFiles()");
    if (this._closed) throw new Error("dispatcher is closed");
    this.unwatch();
    this._watch = watchAndReload(this._paths, opts, this._sink, (source) => this.applySource(source, true));
  }

  /** Stops watching (idempotent). */
  unwatch(): void {
    this._watch?.close();
    this._watch = undefined;
  }

  /** Re-reads the files given to `loadFiles`. */
  reload(): Promise<ConfigUpdate> {
    if (!this._paths) return Promise.reject(new Error("reload() needs a previous loadFiles()"));
    return this.applySource(loadConfigFiles(this._paths));
  }

  /** Uses in-process resource objects (same shape as the YAML documents) as the config. */
  applyResources(resources: readonly unknown[], name = "<inline>"): Promise<ConfigUpdate> {
    return this.applySource(sourceFromObjects(resources, name));
  }

  /** Validates, builds handlers and swaps in a new generation. Updates are serialised. `strict` overrides the option. */
  applySource(source: LoadedSource, strict = this._opts.strict ?? false): Promise<ConfigUpdate> {
    const run = this._updating.then(() => this._apply(source, strict));
    this._updating = run.catch(() => undefined);
    return run;
  }

  acquire(): RoutingContext {
    return this._ctx.acquire();
  }

  /** A Reporter bound to the current generation (call `done()` when finished; `close()` abandons undone ones). */
  getReporter(): Reporter {
    return new Reporter(this);
  }

  attachReporter(): RoutingContext {
    return this._ctx.attach();
  }

  /** Reports bags (preprocessed when generators exist) and flushes once. Rejects with an AggregateError. */
  async report(bags: Bag | readonly Bag[]): Promise<void> {
    const list = Array.isArray(bags) ? (bags as readonly Bag[]) : [bags as Bag];
    const reporter = new Reporter(this, true); // a call in flight: close() waits for it
    const errors: Error[] = [];
    try {
      // Without attribute generators preprocess would only wrap the bag: skip the await per bag.
      const generators = !this._ctx.table.isEmpty(Variety.ATTRIBUTE_GENERATOR);
      for (const bag of list) errors.push(...reporter.report(generators ? await this.preprocess(bag) : bag));
      await reporter.flush().catch((e: AggregateError) => errors.push(...e.errors));
    } finally {
      reporter.done();
    }
    if (errors.length > 0) throw new AggregateError(errors, `report: ${errors.map((e) => e.message).join("; ")}`);
  }

  /** Runs Check on one bag. Never rejects for adapter failures: see `error` in the response. */
  async check(bag: Bag): Promise<CheckResponse> {
    const ctx = this.acquire();
    try {
      return await runCheck(ctx, bag, this.stats, this.callTimeoutMs);
    } finally {
      ctx.release();
    }
  }

  /** Allocates (amount > 0) or releases (amount < 0) quota `name`. */
  async quota(bag: Bag, name: string, args: Partial<QuotaArgs> = {}): Promise<QuotaResponse> {
    const ctx = this.acquire();
    const full: QuotaArgs = { deduplicationId: args.deduplicationId ?? "", quotaAmount: args.quotaAmount ?? 1, bestEffort: args.bestEffort ?? false };
    try {
      return await runQuota(ctx, bag, name, full, this.stats, this.callTimeoutMs);
    } finally {
      ctx.release();
    }
  }

  /** Runs attribute generators; returns a child bag with their outputs. */
  async preprocess(bag: Bag): Promise<MutableBag> {
    const ctx = this.acquire();
    try {
      return await preprocess(ctx, bag, this.stats, this.callTimeoutMs, new ReferencedAttributes());
    } finally {
      ctx.release();
    }
  }

  /** Waits until replaced handlers of earlier config changes are closed. */
  async idle(): Promise<void> {
    await this._updating;
    await Promise.all([...this._closing]);
  }

  /**
   * Stops watching and closes every handler, then resolves. Waits for dispatches in flight
   * (flush, check, quota, report) up to `drainTimeoutMs`, on a timer that keeps the process
   * alive so the returned promise always settles. Never waits for Reporters that were not
   * `done()`: they are abandoned with one warning through `logSink` (scope `dispatcher`);
   * their later reports are ignored and their unflushed instances dropped (`stats.dropped`).
   * Idempotent.
   */
  async close(): Promise<void> {
    if (this._closed) return this.idle();
    this._closed = true;
    this.unwatch();
    await this._updating;
    const old = this._ctx;
    this._ctx = new RoutingContext(old.snapshot, new RoutingTable(new Map(), new Map(), 0, 0), new Map());
    this._retire(old);
    let abandoned = 0;
    for (const ctx of this._retiring) abandoned += ctx.abandonReporters();
    if (abandoned > 0) {
      const sink = this._sink;
      sink("warn", "dispatcher", `close: ${abandoned} Reporter(s) never done() abandoned; their unflushed instances are dropped`);
    }
    await this.idle();
  }

  private async _apply(source: LoadedSource, strict: boolean): Promise<ConfigUpdate> {
    if (this._closed) throw new Error("dispatcher is closed");
    const snapshot = buildSnapshot(source, this._snapshotOptions());
    if (strict && snapshot.errors.length > 0) throw new ConfigValidationError(snapshot.errors);
    const sink = this._sink;
    const { table: handlers, errors: buildErrors } = await buildHandlerTable(snapshot, this._ctx.handlers, { logSink: sink, buildTimeoutMs: this._opts.buildTimeoutMs ?? 10_000 });
    const table = buildRoutingTable(snapshot, handlers, (m) => sink("warn", "dispatcher", m));
    for (const e of buildErrors) sink("error", "dispatcher", e.message);
    const old = this._ctx;
    this._ctx = new RoutingContext(snapshot, table, handlers);
    this._retire(old);
    return { snapshot, errors: snapshot.errors, buildErrors };
  }

  /** Closes the old generation's handlers that the new one does not reuse, once it drains. */
  private _retire(old: RoutingContext): void {
    const timeout = this._opts.buildTimeoutMs ?? 10_000;
    this._retiring.add(old);
    const p = old
      .drained(this._opts.drainTimeoutMs ?? 10_000)
      .then(() => closeStaleHandlers(old.handlers, this._ctx.handlers, timeout))
      .finally(() => {
        this._retiring.delete(old);
        this._closing.delete(p);
      });
    this._closing.add(p);
  }

  private _snapshotOptions() {
    return { registry: this._registry, defaultNamespace: this._opts.defaultNamespace, builtinManifests: this._opts.builtinManifests, sampling: this._opts.sampling };
  }
}

/** Creates a dispatcher and, when `config` is given, loads it (files/folders or resource objects). */
export async function createDispatcher(opts: DispatcherOptions & { config?: string | readonly string[] } = {}): Promise<Dispatcher> {
  const d = new Dispatcher(opts);
  if (opts.config !== undefined) await d.loadFiles(opts.config);
  return d;
}
