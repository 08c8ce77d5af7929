import { enter, exit, fail, suspend } from "./engine.js";
import { ALS_SCOPED, NOOP_FRAME, type Frame } from "./frame.js";
import { S } from "./state.js";
import { callerSite } from "./caller-site.js";
import { wrapGenerator, wrapAsyncGenerator } from "./traced-generators.js";

type AnyFunction = (this: any, ...args: any[]) => any;
type MethodContext = { kind: string; name: string | symbol; static?: boolean };

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor;
const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}).constructor;

/** What `traced("name")` returns: a method decorator for both standard and legacy (`experimentalDecorators`) decorators. */
export interface TracedDecorator {
  <F extends AnyFunction>(method: F, context: MethodContext): F;
  <T>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>): TypedPropertyDescriptor<T>;
}

/**
 * Wraps a function so every call is a span. Keeps `name`, `length`, `this`, `new.target`,
 * arguments, and the sync-vs-promise shape; an async function's span ends when its promise
 * settles (the returned promise is a new one that settles the same way). Also usable as a
 * method decorator, standard (TypeScript 5) or legacy (`experimentalDecorators`, as NestJS and
 * TypeORM use): `@traced` or `@traced("name")`. Never throws into the wrapped function's
 * callers beyond what the function itself throws.
 *
 * @example
 * const load = traced(async function load(id: string) { ... });
 * const parse = traced("config.parse", (text: string) => JSON.parse(text));
 */
export function traced<F extends AnyFunction>(fn: F): F;
export function traced<F extends AnyFunction>(name: string, fn: F): F;
export function traced(name: string): TracedDecorator;
export function traced<F extends AnyFunction>(method: F, context: MethodContext): F;
export function traced<T>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>): TypedPropertyDescriptor<T>;
export function traced(a: unknown, b?: unknown, c?: unknown): unknown {
  if (isLegacyDecoratorCall(a, b, c)) return decorateLegacy(a as object, b as string | symbol, c as PropertyDescriptor, undefined);
  if (typeof a === "function" && isDecoratorContext(b)) return decorate(a as AnyFunction, b, undefined);
  if (typeof a === "function") return wrapFunction(a as AnyFunction, ownName(a as AnyFunction), definitionSite());
  if (typeof a === "string" && typeof b === "function")
    return wrapFunction(b as AnyFunction, a, definitionSite());
  if (typeof a === "string" && b === undefined) {
    return (x: unknown, y: unknown, z?: unknown) =>
      isLegacyDecoratorCall(x, y, z)
        ? decorateLegacy(x as object, y as string | symbol, z as PropertyDescriptor, a)
        : decorate(x as AnyFunction, y as MethodContext, a);
  }
  throw new TypeError("traced(): expected traced(fn), traced(name, fn), or use as a method decorator");
}

/** `(target, key, descriptor)`: how TypeScript's `experimentalDecorators` call a method decorator. */
function isLegacyDecoratorCall(a: unknown, b: unknown, c: unknown): boolean {
  return (
    (typeof a === "object" || typeof a === "function") &&
    a !== null &&
    (typeof b === "string" || typeof b === "symbol") &&
    typeof c === "object" &&
    c !== null &&
    ("value" in c || "get" in c || "set" in c)
  );
}

function decorateLegacy(target: object, key: string | symbol, descriptor: PropertyDescriptor, name: string | undefined): PropertyDescriptor {
  const isStatic = typeof target === "function";
  const member = typeof key === "symbol" ? `[${key.description ?? ""}]` : key;
  const nameOf = (prefix: string) => (name !== undefined ? () => name : (self: unknown) => `${className(self, isStatic)}.${prefix}${member}`);
  const site = { file: "", line: 0 };
  const out: PropertyDescriptor = { ...descriptor };
  if (typeof descriptor.value === "function") out.value = wrapFunction(descriptor.value, nameOf(""), site);
  else if (descriptor.get || descriptor.set) {
    if (descriptor.get) out.get = wrapFunction(descriptor.get, nameOf("get "), site);
    if (descriptor.set) out.set = wrapFunction(descriptor.set, nameOf("set "), site);
  } else throw new TypeError("@traced can decorate methods, getters and setters");
  return out;
}

/** `fn.name`, or `<anonymous>` when there is none or its getter throws. */
function ownName(fn: AnyFunction): string {
  try {
    const name: unknown = fn.name;
    return typeof name === "string" && name !== "" ? name : "<anonymous>";
  } catch {
    return "<anonymous>";
  }
}

function isDecoratorContext(value: unknown): value is MethodContext {
  return typeof value === "object" && value !== null && "kind" in value && "name" in value;
}

function definitionSite(): { file: string; line: number } {
  const site = callerSite(traced);
  return { file: site.file, line: site.line };
}

function decorate(method: AnyFunction, context: MethodContext, name: string | undefined): AnyFunction {
  if (context.kind !== "method" && context.kind !== "getter" && context.kind !== "setter") {
    throw new TypeError(`@traced can decorate methods, getters and setters, not a ${context.kind}`);
  }
  const member = typeof context.name === "symbol" ? `[${context.name.description ?? ""}]` : context.name;
  const nameOf =
    name !== undefined ? () => name : (self: unknown) => `${className(self, context.static)}.${member}`;
  return wrapFunction(method, nameOf, { file: "", line: 0 });
}

function className(self: unknown, isStatic: boolean | undefined): string {
  try {
    if (isStatic) return (self as { name?: string }).name ?? "<class>";
    return (self as { constructor?: { name?: string } }).constructor?.name ?? "<class>";
  } catch {
    return "<class>";
  }
}

/** Builds the wrapper; `name` may be computed from `this` on the first call (decorators). */
function wrapFunction(
  fn: AnyFunction,
  name: string | ((self: unknown) => string),
  site: { file: string; line: number },
) {
  let cached = typeof name === "string" ? name : undefined;
  const spanName = (self: unknown): string => (cached ??= (name as (self: unknown) => string)(self));
  let wrapper: AnyFunction;
  if (fn instanceof GeneratorFunction) wrapper = wrapGenerator(fn, spanName, site);
  else if (fn instanceof AsyncGeneratorFunction) wrapper = wrapAsyncGenerator(fn, spanName, site);
  else wrapper = wrapPlain(fn, spanName, site, fn instanceof AsyncFunction);
  copyShape(fn, wrapper);
  return wrapper;
}

function wrapPlain(
  fn: AnyFunction,
  spanName: (self: unknown) => string,
  site: { file: string; line: number },
  isAsync: boolean,
) {
  return function (this: unknown) {
    // eslint-disable-next-line prefer-rest-params
    const args = arguments;
    if (!S.active)
      return new.target ? Reflect.construct(fn, args, new.target) : fn.apply(this, args as never);
    const frame = enter(spanName(this), site.file, site.line);
    let result: unknown;
    try {
      if (new.target) result = Reflect.construct(fn, args, new.target);
      else if (isAsync && frame !== NOOP_FRAME) result = runScoped(frame, fn, this, args);
      else result = fn.apply(this, args as never);
    } catch (error) {
      fail(frame, error);
      exit(frame);
      throw error;
    }
    if (result instanceof Promise && frame !== NOOP_FRAME) return endOnSettle(frame, result);
    exit(frame);
    return result;
  };
}

/** Runs an async function with its frame as the ALS store, so its continuations find it. */
function runScoped(frame: Frame, fn: AnyFunction, self: unknown, args: IArguments): unknown {
  frame.flags |= ALS_SCOPED;
  return S.als.run(frame, () => fn.apply(self, args as never));
}

function endOnSettle(frame: Frame, promise: Promise<unknown>): Promise<unknown> {
  suspend(frame, undefined);
  return promise.then(
    (value) => {
      exit(frame);
      return value;
    },
    (error) => {
      fail(frame, error);
      exit(frame);
      throw error;
    },
  );
}

/** name, length, and prototype (so `new` and instanceof behave as before). */
function copyShape(fn: AnyFunction, wrapper: AnyFunction): void {
  copyProperty(fn, wrapper, "name");
  copyProperty(fn, wrapper, "length");
  if (Object.prototype.hasOwnProperty.call(fn, "prototype")) {
    Object.defineProperty(wrapper, "prototype", { value: fn.prototype, writable: true });
  }
}

/** The value of `fn[key]`; when its getter throws, a getter that reads it from `fn` (and throws the same way). */
function copyProperty(fn: AnyFunction, wrapper: AnyFunction, key: "name" | "length"): void {
  let value: unknown;
  try {
    value = fn[key];
  } catch {
    Object.defineProperty(wrapper, key, { get: () => fn[key], configurable: true });
    return;
  }
  Object.defineProperty(wrapper, key, { value, configurable: true });
}
