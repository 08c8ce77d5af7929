/**
 * Header operations of Check (§6.6): when the combined status is OK, every rule with
 * header operations whose namespace applies and whose match is true contributes its
 * operations, values evaluated against the Check bag. An evaluation error or an empty
 * value skips that operation (REMOVE ignores the value).
 */
import type { Bag } from "../attribute/index.js";
import type { ReferencedAttributes } from "../expr/index.js";
import type { HeaderOperationKind } from "../config/header-operations.js";
import type { Snapshot } from "../config/types.js";

/** One header operation for the caller to apply (mixer.proto `HeaderOperation`). */
export interface HeaderOperation {
  readonly name: string;
  readonly value: string;
  readonly operation: HeaderOperationKind;
}

/** What Check tells the caller to do to the request and response headers (`RouteDirective`). */
export interface RouteDirective {
  readonly requestHeaderOperations: readonly HeaderOperation[];
  readonly responseHeaderOperations: readonly HeaderOperation[];
}

/** The route directive for `bag` in namespace `ns` (`""` = default only), or undefined when no operation applies. */
export function headerDirective(snapshot: Snapshot, ns: string, bag: Bag, refs: ReferencedAttributes | undefined): RouteDirective | undefined {
  const request: HeaderOperation[] = [];
  const response: HeaderOperation[] = [];
  for (const rule of snapshot.rules) {
    const ops = rule.headerOperations;
    if (!ops || ops.length === 0) continue;
    if (rule.namespace !== snapshot.defaultNamespace && rule.namespace !== ns) continue;
    try {
      if (rule.match !== undefined && rule.match.evaluate(bag, refs) !== true) continue;
    } catch {
      continue;
    }
    for (const op of ops) {
      let value = "";
      if (op.value !== undefined) {
        try {
          value = op.value.evaluate(bag, refs) as string;
        } catch {
          continue;
        }
        if (value === "") continue;
      }
      (op.target === "request" ? request : response).push({ name: op.name, value, operation: op.operation });
    }
  }
  if (request.length === 0 && response.length === 0) return undefined;
  return { requestHeaderOperations: request, responseHeaderOperations: response };
}
