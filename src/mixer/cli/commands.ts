import { valueTypeName, toJSONValue, type Value } from "../attribute/index.js";
import { compileExpression, ReferencedAttributes } from "../expr/index.js";
import { BUILTIN_ADAPTERS } from "../adapters/builtin.js";
import type { AdapterInfo } from "../adapter/types.js";
import { loadConfigFiles } from "../config/source.js";
import { buildSnapshot } from "../config/validate.js";
import { Dispatcher } from "../dispatcher/dispatcher.js";
import { loadFinder, readAttributes, toJson, UsageError } from "./io.js";
import { recordingAdapters, type RecordedCall } from "./recording.js";

/** What a command produced: JSON/text for stdout, messages for stderr, and the exit code. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/** `validate <config...>`: every problem, located; exit 1 when any. */
export function validateCommand(paths: readonly string[], opts: { defaultNamespace?: string; adapters?: readonly AdapterInfo[] } = {}): CommandResult {
  const src = loadConfigFiles(paths);
  const snap = buildSnapshot(src, { defaultNamespace: opts.defaultNamespace });
  if (snap.errors.length > 0) {
    return { stdout: "", stderr: `${snap.errors.map((e) => e.toString()).join("\n")}\n${snap.errors.length} problem(s) found\n`, code: 1 };
  }
  const summary = `OK: ${src.docs.length} document(s); ${snap.handlers.size} handler(s), ${snap.instances.size} instance(s), ${snap.rules.length} rule(s)\n`;
  return { stdout: summary, stderr: "", code: 0 };
}

/** `eval <expression> --attributes … [--manifest …]`: value, type and referenced attributes as JSON. */
export function evalCommand(expression: string, attributes: string, manifests: readonly string[]): CommandResult {
  const finder = loadFinder(manifests);
  const compiled = compileExpression(expression, finder);
  const bag = readAttributes(attributes, finder);
  const refs = new ReferencedAttributes();
  const value = compiled.evaluate(bag, refs) as Value;
  return { stdout: json({ value: toJSONValue(value), type: valueTypeName(compiled.type), referencedAttributes: refs.toStrings() }), stderr: "", code: 0 };
}

/** Options of `report`, `check` and `quota`. */
export interface RunOptions {
  readonly config: readonly string[];
  readonly attributes: string;
  readonly quota?: string;
  readonly amount?: number;
  readonly bestEffort?: boolean;
  readonly timeoutMs?: number;
  readonly adapters?: readonly AdapterInfo[];
}

/** `report|check|quota --config … --attributes …`: runs the dispatcher once, prints the adapter calls and the result. */
export async function runCommand(verb: "report" | "check" | "quota", opts: RunOptions): Promise<CommandResult> {
  const calls: RecordedCall[] = [];
  const d = new Dispatcher({ adapters: recordingAdapters(opts.adapters ?? BUILTIN_ADAPTERS, calls), callTimeoutMs: opts.timeoutMs ?? 5000 });
  try {
    const update = await d.loadFiles(opts.config);
    if (update.errors.length > 0) return { stdout: "", stderr: `${update.errors.map(String).join("\n")}\n`, code: 1 };
    const bag = readAttributes(opts.attributes, d.snapshot.finder);
    const errors: string[] = update.buildErrors.map((e) => e.message);
    let result: unknown;
    if (verb === "report") await d.report(bag).catch((e: AggregateError) => errors.push(...e.errors.map((x: Error) => x.message)));
    else if (verb === "check") result = checkJson(await d.check(bag), errors);
    else {
      if (!opts.quota) throw new UsageError("quota: --quota <name> is required");
      const r = await d.quota(bag, opts.quota, { quotaAmount: opts.amount ?? 1, bestEffort: opts.bestEffort ?? false, deduplicationId: "" });
      result = checkJson(r, errors);
    }
    const out = { calls, ...(result !== undefined ? { result } : {}), errors };
    return { stdout: json(out), stderr: "", code: errors.length > 0 ? 1 : 0 };
  } finally {
    await d.close();
  }
}

function checkJson(r: { readonly referencedAttributes: ReferencedAttributes; readonly error?: AggregateError }, errors: string[]): unknown {
  const { referencedAttributes, error, ...rest } = r;
  if (error) errors.push(...error.errors.map((e: Error) => e.message));
  return { ...(toJson(rest) as object), referencedAttributes: referencedAttributes.toStrings() };
}
