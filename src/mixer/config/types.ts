import type { AttributeFinder, Bag } from "../attribute/index.js";
import type { CompiledExpression } from "../expr/index.js";
import type { AdapterInfo } from "../adapter/types.js";
import type { CompiledInstance } from "../template/instance-builder.js";
import type { AttributeBinding } from "../template/bindings.js";
import type { ConfigError } from "./errors.js";
import type { Resource } from "./resource.js";
import type { HeaderOperationConfig } from "./header-operations.js";

/** A validated handler: adapter plus params merged over the adapter's defaults. */
export interface HandlerConfig {
  readonly fqn: string;
  readonly namespace: string;
  readonly adapter: AdapterInfo;
  readonly params: Record<string, unknown>;
  readonly resource: Resource;
}

/** A validated instance with compiled field expressions. */
export interface InstanceConfig {
  readonly fqn: string;
  readonly namespace: string;
  readonly compiled: CompiledInstance;
  /** Raw params (for handler signatures). */
  readonly params: Record<string, unknown>;
  readonly bindings: readonly AttributeBinding[];
  readonly resource: Resource;
}

/** A rule action with resolved references (FQNs). */
export interface ActionConfig {
  readonly handler: string;
  readonly instances: readonly string[];
  readonly name: string;
}

/** Decides whether a matched bag is kept (rule `sampling`, §10.4). Stateful for rate limits. */
export interface Sampler {
  sample(bag: Bag): boolean;
}

/** A validated rule. `match` undefined = always applies. */
export interface RuleConfig {
  readonly fqn: string;
  readonly namespace: string;
  readonly matchText: string;
  readonly match: CompiledExpression | undefined;
  readonly actions: readonly ActionConfig[];
  readonly sampler: Sampler | undefined;
  /** Header operations, in config order (request list first); evaluated by Check (§6.6). */
  readonly headerOperations?: readonly HeaderOperationConfig[];
  readonly resource: Resource;
}

/**
 * An immutable, validated config: whatever was valid plus the full error list.
 * Never mutated after creation; a config change builds a new one.
 */
export interface Snapshot {
  readonly id: number;
  readonly defaultNamespace: string;
  readonly finder: AttributeFinder;
  readonly handlers: ReadonlyMap<string, HandlerConfig>;
  readonly instances: ReadonlyMap<string, InstanceConfig>;
  readonly rules: readonly RuleConfig[];
  readonly errors: readonly ConfigError[];
}
