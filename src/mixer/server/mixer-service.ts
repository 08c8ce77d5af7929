/**
 * `istio.mixer.v1.Mixer` on the embedded dispatcher: Check (precondition, referenced
 * attributes, route directive, quotas) and Report (delta or independent sets, one flush).
 * Every failure is a gRPC status; nothing a client sends can throw out of a handler.
 */
import { status, type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { decodeAttributes } from "../attribute/wire-codec.js";
import { decodeReport } from "../attribute/wire-report.js";
import { WireFormatError, WireLimitError, checkGlobalWordCount } from "../attribute/wire-types.js";
import { StatusCode } from "../adapter/status.js";
import type { Dispatcher } from "../dispatcher/index.js";
import type { CallGuard } from "./guard.js";
import type { ServerMetrics } from "./metrics.js";
import {
  durationOf,
  encodeReferenced,
  routeDirectiveOf,
  statusOf,
  type CheckRequestMessage,
  type CheckResponseMessage,
  type QuotaResultMessage,
  type ReportRequestMessage,
} from "./wire-messages.js";

/** A call's failure with its gRPC code. */
export class CallError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

/** What the handlers need. */
export interface MixerServiceDeps {
  readonly dispatcher: () => Dispatcher;
  readonly guard: CallGuard;
  readonly metrics: ServerMetrics;
  readonly maxElements: number;
}

/** The gRPC status of a wire decoding problem (Mixer: INTERNAL for a dictionary mismatch). */
function wireError(e: unknown): CallError {
  if (e instanceof WireLimitError) return new CallError(status.RESOURCE_EXHAUSTED, e.message);
  if (e instanceof WireFormatError) return new CallError(e.message.startsWith("inconsistent global dictionary") ? status.INTERNAL : status.INVALID_ARGUMENT, e.message);
  return new CallError(status.INTERNAL, (e as Error)?.message ?? String(e));
}

/** Count a uint32 as decoded (absent: 0). */
function wordCount(v: unknown): number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : 0;
}

async function check(deps: MixerServiceDeps, req: CheckRequestMessage): Promise<CheckResponseMessage> {
  const count = wordCount(req.globalWordCount);
  let bag;
  try {
    checkGlobalWordCount(count);
    bag = decodeAttributes(req.attributes ?? {}, { globalWordCount: count, maxElements: deps.maxElements });
  } catch (e) {
    deps.metrics.attributeSetErrors.inc({ method: "Check" });
    throw wireError(e);
  }
  deps.metrics.attributeSets.inc({ method: "Check" });
  const d = deps.dispatcher();
  const r = await d.check(bag);
  if (r.error) throw new CallError(status.INTERNAL, r.error.message);
  const out: CheckResponseMessage = {
    precondition: {
      status: statusOf(r.status),
      validDuration: durationOf(r.validDurationMs),
      validUseCount: Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.trunc(r.validUseCount))),
      referencedAttributes: encodeReferenced(r.referencedAttributes, count),
      ...(r.routeDirective ? { routeDirective: routeDirectiveOf(r.routeDirective) } : {}),
    },
  };
  const quotas = req.quotas ?? {};
  const names = Object.keys(quotas);
  if (r.status.code !== StatusCode.OK || names.length === 0) return out;
  out.quotas = {};
  for (const name of names) {
    const p = quotas[name] ?? {};
    const amount = Number(p.amount ?? 0);
    if (!Number.isSafeInteger(amount)) throw new CallError(status.INVALID_ARGUMENT, `quota '${name}': amount out of range`);
    const q = await d.quota(bag, name, { quotaAmount: amount, bestEffort: p.bestEffort === true, deduplicationId: (req.deduplicationId ?? "") + name });
    const result: QuotaResultMessage = {
      validDuration: durationOf(q.validDurationMs),
      grantedAmount: String(Math.trunc(q.amount)),
      status: statusOf(q.status),
      referencedAttributes: encodeReferenced(q.referencedAttributes, count),
    };
    // Mixer logs a failed allocation and goes on with the other quotas; the caller sees nothing granted.
    if (q.error) Object.assign(result, { grantedAmount: "0", status: { code: StatusCode.INTERNAL, message: q.error.message } });
    out.quotas[name] = result;
  }
  return out;
}

async function report(deps: MixerServiceDeps, req: ReportRequestMessage): Promise<Record<string, never>> {
  let decoded;
  try {
    decoded = decodeReport(req, { maxElements: deps.maxElements });
  } catch (e) {
    deps.metrics.attributeSetErrors.inc({ method: "Report" });
    throw wireError(e);
  }
  deps.metrics.attributeSets.inc({ method: "Report" }, decoded.bags.length);
  if (decoded.errors.length > 0) deps.metrics.attributeSetErrors.inc({ method: "Report" }, decoded.errors.length);
  const errors: string[] = decoded.errors.map((e) => e.message);
  if (decoded.bags.length > 0) {
    await deps
      .dispatcher()
      .report(decoded.bags)
      .catch((e: unknown) => errors.push(...(e instanceof AggregateError ? e.errors.map((x: Error) => x.message) : [(e as Error)?.message ?? String(e)])));
  }
  // Mixer: the valid sets are dispatched, then every error is returned as UNKNOWN.
  if (errors.length > 0) throw new CallError(status.UNKNOWN, errors.join("; "));
  return {};
}

const CODE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(status).filter(([, v]) => typeof v === "number").map(([k, v]) => [v, k]));

/** Wraps a handler: admission, metrics, and every failure as a status. */
function unary<Req, Res>(deps: MixerServiceDeps, method: string, fn: (deps: MixerServiceDeps, req: Req) => Promise<Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    const started = performance.now();
    const done = (code: status, err: CallError | undefined, res?: Res): void => {
      deps.metrics.requests.inc({ method, code: CODE_NAMES[code] ?? String(code) });
      deps.metrics.latency.observe({ method }, (performance.now() - started) / 1000);
      if (err) callback({ code, details: err.message.slice(0, 4096), name: "CallError", message: err.message });
      else callback(null, res);
    };
    const refused = deps.guard.admit(call.metadata);
    if (refused) return done(refused.code, new CallError(refused.code, refused.details));
    let p: Promise<Res>;
    try {
      p = fn(deps, call.request);
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (res) => done(status.OK, undefined, res),
      (e: unknown) => {
        const err = e instanceof CallError ? e : new CallError(status.INTERNAL, (e as Error)?.message ?? String(e));
        done(err.code, err);
      },
    ).finally(() => deps.guard.release());
  };
}

/** The service implementation for `server.addService(mixerService(), ...)`. */
export function mixerImplementation(deps: MixerServiceDeps): UntypedServiceImplementation {
  return { Check: unary(deps, "Check", check), Report: unary(deps, "Report", report) };
}
