import { enter, exit, fail, resume, suspend } from "./engine.js";
import { ALS_SCOPED, NOOP_FRAME, type Frame } from "./frame.js";
import { S } from "./state.js";

type AnyFunction = (this: any, ...args: any[]) => any;
type Method = "next" | "return" | "throw";
type Site = { file: string; line: number };
type GeneratorLike = Record<Method, (value?: unknown) => any>;

/*
 * traced() for generator functions. A generator's span covers its life: it starts at the first
 * next() (when the body starts running, as with the codemod) and ends when the body completes,
 * throws, or is closed by return()/throw(). Between steps the frame is suspended, so nothing
 * leaks into the caller's context at a yield. The wrapper object inherits from the real
 * generator's prototype, so instanceof, Symbol.toStringTag and iteration work as before.
 */

/** Wraps a sync generator function. */
export function wrapGenerator(fn: AnyFunction, spanName: (self: unknown) => string, site: Site): AnyFunction {
  return function (this: unknown) {
    // eslint-disable-next-line prefer-rest-params
    const inner = fn.apply(this, arguments as never) as GeneratorLike;
    if (!S.active) return inner;
    const self = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the span name may need it later
    let frame: Frame | null = null;
    const step = (method: Method, value: unknown): unknown => {
      if (frame === null) {
        if (method !== "next") return inner[method](value);
        frame = enter(spanName(self), site.file, site.line);
      } else if (frame.closed || frame === NOOP_FRAME) {
        return inner[method](value);
      } else {
        resume(frame);
      }
      let result: IteratorResult<unknown>;
      try {
        result = inner[method](value);
      } catch (error) {
        fail(frame, error);
        exit(frame);
        throw error;
      }
      if (result.done) exit(frame);
      else suspend(frame, undefined);
      return result;
    };
    return withSteps(inner, step);
  };
}

/** Wraps an async generator function; continuations inside it find its frame through ALS. */
export function wrapAsyncGenerator(
  fn: AnyFunction,
  spanName: (self: unknown) => string,
  site: Site,
): AnyFunction {
  return function (this: unknown) {
    // eslint-disable-next-line prefer-rest-params
    const inner = fn.apply(this, arguments as never) as GeneratorLike;
    if (!S.active) return inner;
    const self = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the span name may need it later
    let frame: Frame | null = null;
    const step = (method: Method, value: unknown): unknown => {
      if (frame === null) {
        if (method !== "next") return inner[method](value);
        frame = enter(spanName(self), site.file, site.line);
        if (frame !== NOOP_FRAME) frame.flags |= ALS_SCOPED;
      } else if (frame.closed || frame === NOOP_FRAME) {
        return inner[method](value);
      } else {
        resume(frame);
      }
      const current = frame;
      const promise = S.als.run(current, () => inner[method](value)) as Promise<IteratorResult<unknown>>;
      suspend(current, undefined);
      return promise.then(
        (result) => {
          if (result.done) exit(current);
          return result;
        },
        (error) => {
          fail(current, error);
          exit(current);
          throw error;
        },
      );
    };
    return withSteps(inner, step);
  };
}

function withSteps(inner: GeneratorLike, step: (method: Method, value: unknown) => unknown): unknown {
  const wrapped = Object.create(Object.getPrototypeOf(inner));
  for (const method of ["next", "return", "throw"] as const) {
    Object.defineProperty(wrapped, method, {
      value: (value?: unknown) => step(method, value),
      writable: true,
      configurable: true,
    });
  }
  return wrapped;
}
