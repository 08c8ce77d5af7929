/**
 * The cls-hooked namespace API on AsyncLocalStorage (what @farmersdog/cls-hooked v5 does, in one
 * small file with no dependency, so that ESM bundles keep working: a CommonJS package that
 * requires `node:async_hooks` cannot run inside an esbuild ESM bundle). Given no
 * AsyncLocalStorage (a browser), a context holds for the synchronous extent of `run`/`bind`.
 */
import type { ClsApi, EmitterLike, Namespace } from "./cls-types.js";

/** The part of AsyncLocalStorage a namespace uses. */
export interface StoreLike {
  getStore(): any;
  run<T>(store: any, fn: () => T): T;
  enterWith(store: any): void;
}

const ERROR_SYMBOL = "error@context";
const BOUND = Symbol("functrace.cls.bound");

/** A store without async propagation: the synchronous extent of `run` only. */
class SyncStore implements StoreLike {
  private _store: any = undefined;
  getStore(): any {
    return this._store;
  }
  run<T>(store: any, fn: () => T): T {
    const saved = this._store;
    this._store = store;
    try {
      return fn();
    } finally {
      this._store = saved;
    }
  }
  enterWith(store: any): void {
    this._store = store;
  }
}

class ClsNamespace implements Namespace {
  private readonly _saved: any[] = [];
  constructor(
    readonly name: string,
    private readonly _als: StoreLike,
  ) {}

  get active(): any {
    return this._als.getStore() ?? null;
  }
  set(key: any, value: any): any {
    const context = this.active;
    if (!context) throw new Error("No context available. ns.run() or ns.bind() must be called first.");
    context[key] = value;
    return value;
  }
  get(key: any): any {
    const context = this.active;
    return context ? context[key] : undefined;
  }
  createContext(): any {
    return Object.create(this.active ?? Object.prototype);
  }
  enter(context: any): void {
    this._saved.push(this.active);
    this._als.enterWith(context);
  }
  exit(context: any): void {
    if (this.active !== context) return;
    this._als.enterWith(this._saved.length > 0 ? this._saved.pop() : undefined);
  }
  run(fn: (...args: any[]) => void): any {
    const context = this.createContext();
    this._within(context, () => fn(context));
    return context;
  }
  runAndReturn<T>(fn: (...args: any[]) => T): T {
    const context = this.createContext();
    return this._within(context, () => fn(context));
  }
  runPromise<T>(fn: (...args: any[]) => Promise<T>): Promise<T> {
    const context = this.createContext();
    return this._within(context, () => fn(context)).then(undefined, (error: unknown) => {
      throw tag(error, context);
    });
  }
  bind<F extends Function>(fn: F, context?: any): F { // eslint-disable-line @typescript-eslint/no-unsafe-function-type -- the cls-hooked signature
    const ctx = context ?? this.active ?? this.createContext();
    const self = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the bound function has its own `this`
    return function (this: unknown, ...args: unknown[]) {
      return self._within(ctx, () => fn.apply(this, args));
    } as unknown as F;
  }
  /** Listeners added to `emitter` from now on run in the context active when they were added. */
  bindEmitter(emitter: EmitterLike): void {
    const e = emitter as EmitterLike & Record<string | symbol, any>;
    for (const method of ["on", "addListener", "prependListener", "once", "prependOnceListener"]) {
      const original = e[method];
      if (typeof original !== "function" || original[BOUND] === this) continue;
      const ns = this; // eslint-disable-line @typescript-eslint/no-this-alias -- used inside the replacement method
      const replacement = function (this: unknown, event: string | symbol, listener: (...args: any[]) => void) {
        return original.call(this, event, ns.active ? ns.bind(listener) : listener);
      };
      (replacement as any)[BOUND] = this;
      e[method] = replacement;
    }
  }

  private _within<T>(context: any, body: () => T): T {
    return this._als.run(context, () => {
      try {
        return body();
      } catch (error) {
        throw tag(error, context);
      }
    });
  }
}

function tag(error: unknown, context: any): unknown {
  if (error !== null && typeof error === "object" && !(ERROR_SYMBOL in error)) (error as Record<string, unknown>)[ERROR_SYMBOL] = context;
  return error;
}

/** The module-level API over one AsyncLocalStorage class (or none: synchronous scopes only). */
export function createClsApi(Als: (new () => StoreLike) | undefined): ClsApi {
  let namespaces: Record<string, Namespace | null> = Object.create(null);
  return Object.freeze({
    createNamespace: (name: string) => (namespaces[name] = new ClsNamespace(name, Als ? new Als() : new SyncStore())),
    getNamespace: (name: string) => namespaces[name] ?? undefined,
    destroyNamespace: (name: string) => void (namespaces[name] = null),
    getNamespaces: () => namespaces,
    reset: () => void (namespaces = Object.create(null)),
    ERROR_SYMBOL,
  } as ClsApi);
}
