import type { Env } from "./types.js";
import type { Logger } from "./logger.js";

/**
 * The runtime's Env for one handler: owns an AbortController, the handler's daemons,
 * work items and intervals, so that `shutdown()` can stop everything the adapter started.
 * Errors thrown by scheduled code are caught and logged, never rethrown (Mixer
 * "Adapter daemon failed" / "Adapter worker failed").
 */
export class HandlerEnv implements Env {
  readonly logger: Logger;
  readonly handlerName: string;
  private readonly _abort = new AbortController();
  private readonly _pending = new Set<Promise<void>>();
  private readonly _timers = new Set<NodeJS.Timeout>();

  constructor(logger: Logger, handlerName = "") {
    this.logger = logger;
    this.handlerName = handlerName;
  }

  scheduleWork(fn: () => void | Promise<void>): void {
    this._track(Promise.resolve().then(fn), "Adapter worker failed");
  }

  scheduleDaemon(fn: (signal: AbortSignal) => void | Promise<void>): void {
    this._track(Promise.resolve().then(() => fn(this._abort.signal)), "Adapter daemon failed");
  }

  scheduleInterval(fn: () => void | Promise<void>, ms: number): void {
    if (this._abort.signal.aborted) return;
    let running = false;
    const timer = setInterval(() => {
      if (running) return; // never overlap two runs of the same periodic job
      running = true;
      const p = Promise.resolve()
        .then(fn)
        .finally(() => {
          running = false;
        });
      this._track(p, "Adapter periodic work failed");
    }, ms);
    timer.unref();
    this._timers.add(timer);
  }

  /** The signal aborted by `shutdown()`. */
  get signal(): AbortSignal {
    return this._abort.signal;
  }

  /** Aborts daemons, clears intervals and waits (bounded) for pending work. Never throws. */
  async shutdown(timeoutMs = 2000): Promise<void> {
    this._abort.abort();
    for (const t of this._timers) clearInterval(t);
    this._timers.clear();
    if (this._pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
      timer.unref();
    });
    const r = await Promise.race([Promise.allSettled([...this._pending]).then(() => "done" as const), timeout]);
    clearTimeout(timer);
    if (r === "timeout") this.logger.warn("adapter did not close all the scheduled daemons/workers");
  }

  private _track(p: Promise<void>, label: string): void {
    const guarded = p.then(
      () => undefined,
      (e: unknown) => {
        this.logger.warn(`${label}: ${errorMessage(e)}`);
      },
    );
    this._pending.add(guarded);
    void guarded.finally(() => this._pending.delete(guarded));
  }
}

/** Message of any thrown value. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
