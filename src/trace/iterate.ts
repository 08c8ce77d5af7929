import { NOOP_FRAME, type Frame } from "./frame.js";
import { suspend } from "./engine.js";

/**
 * Wraps the iterable of a `for await` head so the loop's implicit await happens with the
 * caller's frame restored: each next()/return()/throw() runs in the function's frame, then
 * suspends it and hands back the very same result (no extra promise, no extra tick).
 * Values that are not iterable are returned unchanged so the engine throws its own error.
 */
export function iter<T>(frame: Frame, iterable: T): T {
  if (frame === NOOP_FRAME || iterable === null || iterable === undefined) return iterable;
  const target = Object(iterable) as Record<symbol, unknown>;
  if (Symbol.asyncIterator in target) {
    return {
      [Symbol.asyncIterator]: () => wrapIterator(frame, callMethod(target, Symbol.asyncIterator)),
    } as T;
  }
  if (Symbol.iterator in target) {
    return { [Symbol.iterator]: () => wrapIterator(frame, callMethod(target, Symbol.iterator)) } as T;
  }
  return iterable;
}

type AnyIterator = {
  next(value?: unknown): unknown;
  return?(value?: unknown): unknown;
  throw?(value?: unknown): unknown;
};

function callMethod(target: Record<symbol, unknown>, key: symbol): AnyIterator {
  return (target[key] as () => AnyIterator).call(target);
}

function wrapIterator(frame: Frame, inner: AnyIterator): AnyIterator {
  const wrapped: AnyIterator = {
    next(value?: unknown) {
      return suspend(frame, arguments.length === 0 ? inner.next() : inner.next(value));
    },
  };
  const close = inner.return;
  if (typeof close === "function")
    wrapped.return = (value?: unknown) => suspend(frame, close.call(inner, value));
  const raise = inner.throw;
  if (typeof raise === "function")
    wrapped.throw = (value?: unknown) => suspend(frame, raise.call(inner, value));
  return wrapped;
}
