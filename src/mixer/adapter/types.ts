import type { Bag, Value, ValueType } from "../attribute/index.js";
import type { Status } from "./status.js";
import type { Logger } from "./logger.js";

/**
 * A built template instance as handed to an adapter: `name` is the instance FQN
 * (e.g. `requestcount.instance.istio-system`), the other keys are the template's fields
 * in camelCase (`value`, `dimensions`, `variables`, ...).
 */
export interface Instance {
  readonly name: string;
  readonly [field: string]: unknown;
}

/** Inferred field types of one instance: scalar field → type, map field → key → type. */
export type InstanceTypes = Readonly<Record<string, ValueType | Readonly<Record<string, ValueType>>>>;

/** Result of a Check handler call. Durations are milliseconds. */
export interface CheckResult {
  readonly status: Status;
  readonly validDurationMs: number;
  readonly validUseCount: number;
}

/** Arguments of a Quota handler call. */
export interface QuotaArgs {
  readonly deduplicationId: string;
  readonly quotaAmount: number;
  readonly bestEffort: boolean;
}

/** Result of a Quota handler call: `amount` granted (0 = denied). */
export interface QuotaResult {
  readonly status: Status;
  readonly validDurationMs: number;
  readonly amount: number;
}

/**
 * A configured adapter. Every method is optional except `close`; the runtime calls the
 * one matching the template variety (`handleReport`/`handleCheck`/`handleQuota`/
 * `generateAttributes`). Methods may be sync or async and may throw: the dispatcher
 * guards every call.
 */
export interface Handler {
  handleReport?(template: string, instances: readonly Instance[]): void | Promise<void>;
  handleCheck?(template: string, instance: Instance): CheckResult | Promise<CheckResult>;
  handleQuota?(template: string, instance: Instance, args: QuotaArgs): QuotaResult | Promise<QuotaResult>;
  /** Attribute generators: returns output fields (by name) for the bindings. */
  generateAttributes?(template: string, instance: Instance, bag: Bag): Record<string, Value> | Promise<Record<string, Value>>;
  close(): void | Promise<void>;
}

/** One `{field, message}` problem found while validating adapter params. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** What a builder learns before `validate()`: params merged over defaults and routed instances. */
export interface BuilderInput<P = unknown> {
  readonly params: P;
  /** template name → instance FQN → inferred types, only instances routed to this handler. */
  readonly types: ReadonlyMap<string, ReadonlyMap<string, InstanceTypes>>;
}

/** Builds handlers of one adapter (Mixer HandlerBuilder). */
export interface HandlerBuilder<P = unknown> {
  /** Returns every problem; empty means valid. Never throws for bad params. */
  validate(input: BuilderInput<P>): FieldError[];
  build(input: BuilderInput<P>, env: Env): Handler | Promise<Handler>;
}

/** Static description of an adapter (Mixer adapter.Info). */
export interface AdapterInfo<P = unknown> {
  /** DNS-label name used as `compiledAdapter`. */
  readonly name: string;
  readonly description: string;
  readonly supportedTemplates: readonly string[];
  /** Params used when the handler gives none; handler params are merged over it. */
  readonly defaultConfig: P;
  newBuilder(): HandlerBuilder<P>;
}

/** Runtime services for a handler (Mixer adapter.Env). */
export interface Env {
  readonly logger: Logger;
  /** FQN of the handler being built (e.g. `console.handler.istio-system`). */
  readonly handlerName: string;
  /** Runs a short task later; throws and rejections are caught and logged. */
  scheduleWork(fn: () => void | Promise<void>): void;
  /** Starts a long-running loop; `signal` aborts when the handler closes. Errors are logged. */
  scheduleDaemon(fn: (signal: AbortSignal) => void | Promise<void>): void;
  /** Like setInterval but unref'd, cancelled on close, errors caught. */
  scheduleInterval(fn: () => void | Promise<void>, ms: number): void;
}
