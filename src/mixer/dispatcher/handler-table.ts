import { createHash } from "node:crypto";
import { HandlerEnv, errorMessage } from "../adapter/env.js";
import { createLogger, type LogSink } from "../adapter/logger.js";
import type { Handler } from "../adapter/types.js";
import { routedTypes } from "../config/handlers.js";
import type { HandlerConfig, Snapshot } from "../config/types.js";
import { invokeGuarded } from "./dispatch-state.js";

/** A live handler with the signature it was built from. */
export interface HandlerEntry {
  readonly fqn: string;
  readonly signature: string;
  readonly adapterName: string;
  readonly handler: Handler;
  readonly env: HandlerEnv;
}

/** Options for building handlers. */
export interface HandlerTableOptions {
  readonly logSink: LogSink;
  /** Bound on one `build()` call (ms). */
  readonly buildTimeoutMs: number;
}

/**
 * Builds the handlers a snapshot's rules use (istio handler/table.go). A handler whose
 * signature (adapter, params, routed instances' templates and params) is unchanged is reused
 * from `previous` — same object, not rebuilt. Build failures (throw, rejection, timeout)
 * leave the handler out and are returned as errors.
 */
export async function buildHandlerTable(
  snapshot: Snapshot,
  previous: ReadonlyMap<string, HandlerEntry> | undefined,
  opts: HandlerTableOptions,
): Promise<{ table: Map<string, HandlerEntry>; errors: Error[] }> {
  const used = new Set(snapshot.rules.flatMap((r) => r.actions.map((a) => a.handler)));
  const table = new Map<string, HandlerEntry>();
  const errors: Error[] = [];
  const oldBySig = new Map<string, HandlerEntry>();
  for (const e of previous?.values() ?? []) oldBySig.set(e.signature, e);
  await Promise.all(
    [...used].map(async (fqn) => {
      const cfg = snapshot.handlers.get(fqn);
      if (!cfg) return;
      const types = routedTypes(fqn, snapshot.rules, snapshot.instances);
      const signature = handlerSignature(cfg, snapshot);
      const reused = oldBySig.get(signature);
      if (reused && reused.fqn === fqn) {
        table.set(fqn, reused);
        return;
      }
      const env = new HandlerEnv(createLogger(opts.logSink, fqn), fqn);
      const label = `handler '${fqn}' (${cfg.adapter.name}) build`;
      const out = await invokeGuarded(label, () => cfg.adapter.newBuilder().build({ params: cfg.params, types }, env), opts.buildTimeoutMs);
      if (out.ok) table.set(fqn, { fqn, signature, adapterName: cfg.adapter.name, handler: out.value, env });
      else {
        errors.push(out.error);
        void env.shutdown();
      }
    }),
  );
  return { table, errors };
}

/** SHA-1 over adapter name, params and the sorted (template, params) of routed instances. */
export function handlerSignature(cfg: HandlerConfig, snapshot: Snapshot): string {
  const inst = new Set<string>();
  for (const r of snapshot.rules) for (const a of r.actions) if (a.handler === cfg.fqn) a.instances.forEach((i) => inst.add(i));
  const parts = [...inst]
    .sort()
    .map((fqn) => {
      const i = snapshot.instances.get(fqn);
      return i ? `${fqn}:${i.compiled.template.name}:${stableJson(i.params)}` : fqn;
    });
  return createHash("sha1").update(`${cfg.adapter.name}\n${stableJson(cfg.params)}\n${parts.join("\n")}`).digest("hex");
}

/** Closes entries of `old` that are not (by identity) in `current`; errors are logged, never thrown. */
export async function closeStaleHandlers(
  old: ReadonlyMap<string, HandlerEntry>,
  current: ReadonlyMap<string, HandlerEntry> | undefined,
  timeoutMs: number,
): Promise<void> {
  const keep = new Set(current?.values() ?? []);
  await Promise.all(
    [...old.values()]
      .filter((e) => !keep.has(e))
      .map(async (e) => {
        const out = await invokeGuarded(`handler '${e.fqn}' close`, () => e.handler.close(), timeoutMs);
        if (!out.ok) e.env.logger.warn(`error closing handler: ${errorMessage(out.error)}`);
        await e.env.shutdown(timeoutMs);
      }),
  );
}

/** JSON with sorted object keys (bigint as text), for signatures. */
export function stableJson(v: unknown): string {
  if (typeof v === "bigint") return `"${v}n"`;
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}
