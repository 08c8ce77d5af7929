/**
 * The cls-hooked API of the no-op twin (`functrace-off`, `browser`), which imports nothing: on
 * Node it finds AsyncLocalStorage through `process.getBuiltinModule` (Node 20.16+, invisible to
 * bundlers), so namespaces behave exactly as in the traced build; without it (a browser, an
 * older Node) a context holds for the synchronous extent of `run`/`bind` only.
 */
import { createClsApi, type StoreLike } from "./cls-namespace.js";
import type { ClsApi } from "./cls-types.js";

type Builtins = { getBuiltinModule?: (id: string) => { AsyncLocalStorage?: new () => StoreLike } | undefined };

function findAls(): (new () => StoreLike) | undefined {
  try {
    const proc = (globalThis as { process?: Builtins }).process;
    return proc?.getBuiltinModule?.("node:async_hooks")?.AsyncLocalStorage;
  } catch {
    return undefined;
  }
}

/** The no-op twin's cls API object. */
export const noopCls: ClsApi = createClsApi(findAls());
