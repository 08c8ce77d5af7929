/**
 * The cls-hooked namespace API, from @farmersdog/cls-hooked (built on AsyncLocalStorage, no
 * async_hooks.createHook). Its contexts follow the same async boundaries as functrace's flows:
 * a value set inside a traced flow is visible in that flow's callees and continuations.
 */
export { createNamespace, getNamespace, destroyNamespace } from "@farmersdog/cls-hooked";
export type { Namespace } from "@farmersdog/cls-hooked";
