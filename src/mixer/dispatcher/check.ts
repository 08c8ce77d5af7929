import type { Bag } from "../attribute/index.js";
import { ReferencedAttributes } from "../expr/index.js";
import type { CheckResult } from "../adapter/types.js";
import { DEFAULT_CHECK_RESULT, isDefaultCheckResult } from "../adapter/results.js";
import { StatusCode, type Status } from "../adapter/status.js";
import { Variety } from "../template/types.js";
import { invokeGuarded, type CallOutcome } from "./dispatch-state.js";
import { preprocess } from "./preprocess.js";
import { headerDirective, type RouteDirective } from "./header-directive.js";
import type { RoutingContext } from "./routing-context.js";
import { buildGroup, groupMatches, selectNamespace, type DispatchStats } from "./session.js";

/** Combined answer of a Check. `error` aggregates handler and build errors (not denials). */
export interface CheckResponse extends CheckResult {
  readonly referencedAttributes: ReferencedAttributes;
  /** Header operations of the matching rules (only when the status is OK and some apply, §6.6). */
  readonly routeDirective?: RouteDirective;
  readonly error?: AggregateError;
}

/** One handler answer in routing order. */
export interface CheckAnswer {
  readonly handlerFqn: string;
  readonly outcome: CallOutcome<CheckResult>;
}

/** What Check returns when no adapter answered (§6.4): OK, 1 minute, 10000 uses. */
export const NO_ANSWER_RESULT: CheckResult = Object.freeze({ status: Object.freeze({ code: StatusCode.OK }), validDurationMs: 60_000, validUseCount: 10_000 });

/**
 * Runs Check (§6.3–6.4): preprocess, then every matching CHECK instance dispatched on its
 * own, in parallel; results combined in routing order (deterministic, unlike Mixer).
 */
export async function runCheck(ctx: RoutingContext, bag: Bag, stats: DispatchStats, timeoutMs: number): Promise<CheckResponse> {
  const refs = new ReferencedAttributes();
  const checkBag = await preprocess(ctx, bag, stats, timeoutMs, refs);
  const errors: Error[] = [];
  const calls: Promise<CheckAnswer>[] = [];
  for (const dest of ctx.table.get(Variety.CHECK, selectNamespace(checkBag))) {
    for (const group of dest.groups) {
      if (!groupMatches(group, checkBag, stats, undefined, refs)) continue;
      for (const inst of buildGroup(group, checkBag, stats, errors, refs)) {
        stats.dispatches++;
        const h = dest.handler;
        const label = dest.label;
        const call = invokeGuarded(label, () => {
          if (typeof h.handleCheck !== "function") throw new Error(`adapter does not actually support template: template='${dest.template.name}'`);
          return h.handleCheck(dest.template.name, inst);
        }, timeoutMs);
        calls.push(call.then((outcome) => ({ handlerFqn: dest.handlerFqn, outcome })));
      }
    }
  }
  const answers = await Promise.all(calls);
  const combined = combineCheck(answers, errors);
  stats.dispatchErrors += answers.filter((a) => !a.outcome.ok).length;
  let result = errors.length === 0 && combined.answered === 0 ? NO_ANSWER_RESULT : combined.result;
  const routeDirective = result.status.code === StatusCode.OK ? headerDirective(ctx.snapshot, selectNamespace(checkBag), checkBag, refs) : undefined;
  if (routeDirective && isDefaultCheckResult(result)) result = NO_ANSWER_RESULT;
  const error = errors.length > 0 ? new AggregateError(errors, `performing check operation failed: ${errors.map((e) => e.message).join("; ")}`) : undefined;
  return { ...result, referencedAttributes: refs, ...(routeDirective ? { routeDirective } : {}), ...(error ? { error } : {}) };
}

/**
 * Folds answers in order (§6.4): the first non-default result is taken, later ones lower
 * validDuration/validUseCount to the minimum; the first non-OK code wins and the message
 * joins every non-OK `<handler>:<message>` with ", ". Failed calls go to `errors`.
 */
export function combineCheck(answers: readonly CheckAnswer[], errors: Error[]): { result: CheckResult; answered: number } {
  let acc: CheckResult = DEFAULT_CHECK_RESULT;
  let firstBad: Status | undefined;
  const messages: string[] = [];
  let answered = 0;
  for (const a of answers) {
    if (!a.outcome.ok) {
      errors.push(a.outcome.error);
      continue;
    }
    const r = a.outcome.value;
    answered++;
    if (isDefaultCheckResult(acc)) acc = r;
    else acc = { status: acc.status, validDurationMs: Math.min(acc.validDurationMs, r.validDurationMs), validUseCount: Math.min(acc.validUseCount, r.validUseCount) };
    if (r.status.code !== StatusCode.OK) {
      firstBad ??= r.status;
      messages.push(`${a.handlerFqn}:${r.status.message ?? ""}`);
    }
  }
  if (firstBad) acc = { ...acc, status: { code: firstBad.code, message: messages.join(", ") } };
  return { result: acc, answered };
}
