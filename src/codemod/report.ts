import type { FileResult } from "./run.js";
import { CLI_NAME } from "./markers.js";

/** Totals over a run, for the summary and for tests. */
export interface Summary {
  changed: number;
  unchanged: number;
  skipped: number;
  failed: number;
  functions: number;
  skippedFunctions: Map<string, number>;
}

/** Add up per-file results. */
export function summarize(results: FileResult[]): Summary {
  const s: Summary = { changed: 0, unchanged: 0, skipped: 0, failed: 0, functions: 0, skippedFunctions: new Map() };
  for (const r of results) {
    s[r.status]++;
    s.functions += r.functions;
    for (const f of r.skippedFunctions) s.skippedFunctions.set(f.reason, (s.skippedFunctions.get(f.reason) ?? 0) + 1);
  }
  return s;
}

/** The end-of-run summary: counts, skip reasons, skipped files and the failures (one per line). */
export function formatSummary(results: FileResult[], verb: { done: string; functions: string }, elapsedMs?: number): string {
  const s = summarize(results);
  const skippedFns = [...s.skippedFunctions.values()].reduce((a, b) => a + b, 0);
  const lines = [
    `${CLI_NAME}: ${results.length} file${results.length === 1 ? "" : "s"}: ${s.changed} ${verb.done}, ${s.unchanged} unchanged, ${s.skipped} skipped, ${s.failed} failed; ` +
      `${s.functions} functions ${verb.functions}, ${skippedFns} skipped` +
      (elapsedMs === undefined ? "" : ` (${formatElapsed(elapsedMs)})`),
  ];
  for (const [reason, n] of [...s.skippedFunctions].sort((a, b) => b[1] - a[1])) lines.push(`  skipped ${n} function${n === 1 ? "" : "s"}: ${reason}`);
  for (const r of results) if (r.status === "skipped") lines.push(`  skipped file ${r.path}: ${r.reason}`);
  const failed = results.filter((r) => r.status === "failed");
  if (failed.length > 0) {
    lines.push(`failed (${failed.length}), left untouched:`);
    for (const r of failed) lines.push(`  ${r.reason}`);
  }
  return lines.join("\n") + "\n";
}

/** `0.42 s`, `12.3 s`, `2 min 5 s`. */
export function formatElapsed(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
