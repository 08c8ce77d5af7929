/** Outcome of one guarded handler call: never a rejection. */
export type CallOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Error };

/** Raised when a handler call exceeds its per-call timeout. */
export class DispatchTimeoutError extends Error {
  constructor(label: string, ms: number) {
    super(`${label}: no response within ${ms} ms`);
    this.name = "DispatchTimeoutError";
  }
}

/**
 * Calls an adapter method in isolation (istio dispatchstate `invokeHandler` + safecall):
 * a synchronous throw, a rejection or a timeout all become `{ok: false, error}` with the
 * handler label in the message. The adapter's promise is left to settle on its own
 * after a timeout (its late rejection is swallowed). The timeout timer is ref'd while the
 * call is in flight and cleared when it settles.
 */
export function invokeGuarded<T>(label: string, fn: () => T | Promise<T>, timeoutMs: number): Promise<CallOutcome<T>> {
  let result: T | Promise<T>;
  try {
    result = fn();
  } catch (e) {
    return Promise.resolve({ ok: false, error: wrap(label, e) });
  }
  if (!isThenable(result)) return Promise.resolve({ ok: true, value: result });
  return guardPromise(label, result, timeoutMs);
}

/** The asynchronous half of {@link invokeGuarded}: a handler's promise, bounded by the timeout, never rejecting. */
export function guardPromise<T>(label: string, result: Promise<T>, timeoutMs: number): Promise<CallOutcome<T>> {
  const settled = Promise.resolve(result).then(
    (value): CallOutcome<T> => ({ ok: true, value }),
    (e: unknown): CallOutcome<T> => ({ ok: false, error: wrap(label, e) }),
  );
  if (!(timeoutMs > 0 && Number.isFinite(timeoutMs))) return settled;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CallOutcome<T>>((resolve) => {
    // Ref'd on purpose: while a call is in flight its timeout must fire even when nothing
    // else keeps the process alive (else `await dispatcher.check(bag)` against a handler
    // that never settles lets an idle process exit mid-call). Cleared as soon as it settles.
    timer = setTimeout(() => resolve({ ok: false, error: new DispatchTimeoutError(label, timeoutMs) }), timeoutMs);
  });
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}

/** True for promises and promise-likes (what a handler may return instead of a value). */
export function isThenable<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === "function";
}

/** A handler failure as an Error prefixed with the handler label (non-Errors are reported like Go panics). */
export function wrap(label: string, e: unknown): Error {
  const msg = e instanceof Error ? e.message : `panic during handler dispatch: ${String(e)}`;
  const err = new Error(`${label}: ${msg}`, { cause: e });
  return err;
}
