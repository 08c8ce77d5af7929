/**
 * Explicit resource management types, declared the way @types/node declares them (they merge
 * with TypeScript's own `esnext.disposable` lib), so functrace's declarations (`SpanEnd` is
 * `Disposable`) type-check in a project whose lib and types have neither.
 */
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
    readonly asyncDispose: unique symbol;
  }
  interface Disposable {
    [Symbol.dispose](): void;
  }
  interface AsyncDisposable {
    [Symbol.asyncDispose](): PromiseLike<void>;
  }
}

export {};
