/**
 * The cls-hooked namespace API (`createNamespace`, `getNamespace`, `getNamespaces`, `reset`,
 * `ERROR_SYMBOL`, a default export), on AsyncLocalStorage like @farmersdog/cls-hooked v5 (no
 * async_hooks.createHook). Its contexts follow the same async boundaries as functrace's flows:
 * a value set inside a traced flow is visible in that flow's callees and continuations.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createClsApi } from "./cls-namespace.js";
import type { ClsApi } from "./cls-types.js";

export type { ClsApi, Namespace, EmitterLike } from "./cls-types.js";

/** The cls-hooked API object (`import cls from "functrace"; cls.createNamespace(...)`). */
export const cls: ClsApi = createClsApi(AsyncLocalStorage);

export const { createNamespace, getNamespace, destroyNamespace, getNamespaces, reset, ERROR_SYMBOL } = cls;
