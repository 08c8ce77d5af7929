/**
 * The cls-hooked API as functrace declares it: the shape of `@types/cls-hooked` and
 * `@farmersdog/cls-hooked` v5, written without Node's types (an emitter is anything with
 * `on`/`emit`), so functrace's declarations type-check in a project without `@types/node`.
 */

/** What `bindEmitter` accepts: an EventEmitter, structurally. */
export interface EmitterLike {
  on(event: string | symbol, listener: (...args: any[]) => void): unknown;
  emit(event: string | symbol, ...args: any[]): boolean;
}

/** A cls-hooked namespace: values set in `run` are visible to everything it calls. */
export interface Namespace<N = Record<string, any>> {
  active: any;
  set<K extends keyof N = keyof N>(key: K, value: N[K]): N[K];
  get<K extends keyof N = keyof N>(key: K): N[K];
  run(fn: (...args: any[]) => void): void;
  runAndReturn<T>(fn: (...args: any[]) => T): T;
  runPromise<T>(fn: (...args: any[]) => Promise<T>): Promise<T>;
  bind<F extends Function>(fn: F, context?: any): F; // eslint-disable-line @typescript-eslint/no-unsafe-function-type -- the cls-hooked signature
  bindEmitter(emitter: EmitterLike): void;
  createContext(): any;
  enter(context: any): void;
  exit(context: any): void;
}

/** The module-level cls-hooked API (also the default export, as `import cls from "cls-hooked"` expects). */
export interface ClsApi {
  createNamespace<N = Record<string, any>>(name: string): Namespace<N>;
  getNamespace<N = Record<string, any>>(name: string): Namespace<N> | undefined;
  destroyNamespace(name: string): void;
  getNamespaces(): Record<string, Namespace | null>;
  reset(): void;
  readonly ERROR_SYMBOL: string;
}
