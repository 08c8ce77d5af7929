import { S } from "./state.js";
import type { Sink } from "./sink.js";
import { internalError } from "./diag.js";
import { autoEnableHttpTracing } from "./http/index.js";
import { installSignalFlush } from "./signal-flush.js";

/*
 * Which sinks receive calls. The engine reads S.enterSinks/S.exitSinks/S.clock/S.active on the
 * hot path; this module keeps them consistent whenever the set of sinks or the switch changes.
 */
function recompute(): void {
  S.enterSinks = S.sinks.filter((s) => typeof s.onEnter === "function");
  S.exitSinks = S.sinks.filter((s) => typeof s.onExit === "function");
  S.handoffSinks = S.sinks.filter((s) => typeof s.onHandoff === "function");
  S.suspendSinks = S.sinks.filter((s) => typeof s.onSuspend === "function");
  S.clock = S.sinks.some((s) => s.needsClock === true);
  S.reuseFrames = S.sinks.every((s) => s.releasesFrames === true);
  S.active = S.enabled && (S.sinks.length > 0 || tracking);
  for (const apply of S.apiSwitches) apply(S.active);
  if (S.active) autoEnableHttpTracing();
}

/** True once `setEnabled(true)` was asked for explicitly: flows are tracked even with no sink (currentFlow, traceparent). */
let tracking = false;

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

/**
 * The run-time master switch: false makes `enter` return the no-op token at once. True also
 * tracks flows when no printer or exporter is on, so `currentFlow()` (log correlation) and
 * the propagation of the trace to outgoing requests work.
 */
export function setEnabled(on: boolean): void {
  S.enabled = on;
  tracking = on;
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

/**
 * Flushes every sink within `timeoutMs` in all (the end of the run: a signal). A ref'd timer
 * keeps the process alive meanwhile. Never rejects.
 */
export async function flushWithin(timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([Promise.all(S.sinks.map((sink) => guarded("flush", () => sink.flush?.(timeoutMs)))), deadline]);
  clearTimeout(timer);
}

/** The longest exit timeout among the sinks (exporters have one: batch.exitTimeoutMillis), else 2 s. */
function exitTimeoutMs(): number {
  let ms = 0;
  for (const sink of S.sinks) ms = Math.max(ms, (sink as { exitTimeoutMs?: number }).exitTimeoutMs ?? 0);
  return ms > 0 ? ms : 2000;
}

let exitHookInstalled = false;

/** At process exit, synchronous flushes still run (the printer writes with writeSync); on SIGINT/SIGTERM/SIGHUP, all of them. */
function installExitFlush(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  installSignalFlush(() => flushWithin(exitTimeoutMs()));
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
