import { S } from "./state.js";
import type { Sink } from "./sink.js";
import { internalError } from "./diag.js";

/*
 * Which sinks receive calls. The engine reads S.enterSinks/S.exitSinks/S.clock/S.active on the
 * hot path; this module keeps them consistent whenever the set of sinks or the switch changes.
 */
function recompute(): void {
  S.enterSinks = S.sinks.filter((s) => typeof s.onEnter === "function");
  S.exitSinks = S.sinks.filter((s) => typeof s.onExit === "function");
  S.handoffSinks = S.sinks.filter((s) => typeof s.onHandoff === "function");
  S.clock = S.sinks.some((s) => s.needsClock === true);
  S.active = S.enabled && S.sinks.length > 0;
}

/** Starts sending calls to `sink`. Adding the same sink twice is a no-op. */
export function addSink(sink: Sink): void {
  if (S.sinks.includes(sink)) return;
  S.sinks = [...S.sinks, sink];
  recompute();
  installExitFlush();
}

/** Stops sending calls to `sink` (it is not shut down). */
export function removeSink(sink: Sink): void {
  S.sinks = S.sinks.filter((s) => s !== sink);
  recompute();
}

/** The sinks registered now. */
export function getSinks(): readonly Sink[] {
  return S.sinks;
}

/** The run-time master switch: false makes `enter` return the no-op token at once. */
export function setEnabled(on: boolean): void {
  S.enabled = on;
  recompute();
}

/** Writes out what every sink buffers. Never throws. */
export async function flush(): Promise<void> {
  await Promise.all(S.sinks.map((sink) => guarded("flush", () => sink.flush?.())));
}

/** Flushes and shuts every sink down, then removes them. Idempotent; never throws. */
export async function shutdown(): Promise<void> {
  const sinks = S.sinks;
  S.sinks = [];
  recompute();
  await Promise.all(sinks.map((sink) => guarded("shutdown", () => sink.shutdown?.() ?? sink.flush?.())));
}

async function guarded(place: string, fn: () => void | Promise<void> | undefined): Promise<void> {
  try {
    await fn();
  } catch (error) {
    internalError(`sink ${place}`, error);
  }
}

let exitHookInstalled = false;

/** At process exit, synchronous flushes still run (the printer writes with writeSync). */
function installExitFlush(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const sink of S.sinks) {
      try {
        void sink.flush?.();
      } catch (error) {
        internalError("sink flush at exit", error);
      }
    }
  });
}
