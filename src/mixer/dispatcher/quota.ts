import type { Bag } from "../attribute/index.js";
import { ReferencedAttributes } from "../expr/index.js";
import type { QuotaArgs, QuotaResult } from "../adapter/types.js";
import { StatusCode, type Status } from "../adapter/status.js";
import { shortName } from "../config/names.js";
import { Variety } from "../template/types.js";
import { invokeGuarded } from "./dispatch-state.js";
import { preprocess } from "./preprocess.js";
import type { RoutingContext } from "./routing-context.js";
import { groupMatches, selectNamespace, type DispatchStats } from "./session.js";

/** Answer of a Quota call. `warning` explains a grant made without any adapter. */
export interface QuotaResponse extends QuotaResult {
  readonly referencedAttributes: ReferencedAttributes;
  readonly warning?: string;
  readonly error?: AggregateError;
}

const GRANT_MS = 60_000;

/**
 * Runs Quota (§6.5): only QUOTA instances whose short name equals `quotaName`
 * (case-insensitive) count. Not configured, or configured but no condition true ⇒ granted
 * in full for 1 minute. Otherwise each matching instance is dispatched; the first answer in
 * routing order wins and other non-OK statuses are folded into its message.
 */
export async function runQuota(
  ctx: RoutingContext,
  bag: Bag,
  quotaName: string,
  args: QuotaArgs,
  stats: DispatchStats,
  timeoutMs: number,
): Promise<QuotaResponse> {
  const refs = new ReferencedAttributes();
  const qbag = await preprocess(ctx, bag, stats, timeoutMs, refs);
  const wanted = quotaName.toLowerCase();
  const errors: Error[] = [];
  const calls: Promise<{ fqn: string; r: QuotaResult } | undefined>[] = [];
  let configured = false;
  for (const dest of ctx.table.get(Variety.QUOTA, selectNamespace(qbag))) {
    for (const group of dest.groups) {
      const named = group.instances.filter((i) => shortName(i.fqn).toLowerCase() === wanted);
      if (named.length === 0) continue;
      configured = true;
      if (!groupMatches(group, qbag, stats, undefined, refs)) continue;
      for (const cfg of named) {
        let inst;
        try {
          inst = cfg.compiled.build(qbag, refs);
        } catch (e) {
          stats.buildErrors++;
          errors.push(e as Error);
          continue;
        }
        const h = dest.handler;
        const label = dest.label;
        stats.dispatches++;
        const call = invokeGuarded(label, () => {
          if (typeof h.handleQuota !== "function") throw new Error(`adapter does not actually support template: template='${dest.template.name}'`);
          return h.handleQuota(dest.template.name, inst, args);
        }, timeoutMs);
        calls.push(call.then((o) => (o.ok ? { fqn: dest.handlerFqn, r: o.value } : (stats.dispatchErrors++, errors.push(o.error), undefined))));
      }
    }
  }
  const answers = (await Promise.all(calls)).filter((a) => a !== undefined);
  const error = errors.length > 0 ? new AggregateError(errors, `performing quota alloc failed: ${errors.map((e) => e.message).join("; ")}`) : undefined;
  const extra = { referencedAttributes: refs, ...(error ? { error } : {}) };
  if (!configured) {
    return { status: { code: StatusCode.OK }, amount: args.quotaAmount, validDurationMs: GRANT_MS, warning: `Requested quota '${quotaName}' is not configured`, ...extra };
  }
  if (answers.length === 0) {
    return error ? { status: { code: StatusCode.OK }, amount: 0, validDurationMs: 0, ...extra } : { status: { code: StatusCode.OK }, amount: args.quotaAmount, validDurationMs: GRANT_MS, ...extra };
  }
  return { ...answers[0].r, status: foldStatus(answers), ...extra };
}

function foldStatus(answers: readonly { fqn: string; r: QuotaResult }[]): Status {
  const bad = answers.filter((a) => a.r.status.code !== StatusCode.OK);
  if (bad.length === 0) return answers[0].r.status;
  return { code: answers[0].r.status.code !== StatusCode.OK ? answers[0].r.status.code : bad[0].r.status.code, message: bad.map((a) => `${a.fqn}:${a.r.status.message ?? ""}`).join(", ") };
}
