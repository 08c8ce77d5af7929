export { Dispatcher, createDispatcher } from "./dispatcher.js";
export type { DispatcherOptions, ConfigUpdate } from "./dispatcher.js";
export { Reporter } from "./reporter.js";
export type { CheckResponse } from "./check.js";
export type { QuotaResponse } from "./quota.js";
export { RoutingTable } from "./routing-table.js";
export type { Destination, InstanceGroup } from "./routing-table.js";
export { DispatchTimeoutError } from "./dispatch-state.js";
export type { DispatchStats } from "./session.js";
