import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { RESERVED } from "./markers.js";
import { instrumentText } from "./instrument.js";
import { removeInstrumentation } from "./remove.js";
import { toPosix } from "./discover.js";
import { PackageInfoCache } from "./package-info.js";
import { writeFileAtomic } from "./write-file.js";
import type { SkippedFunction } from "./find-targets.js";

/** What to do with each file. */
export interface RunOptions {
  cwd: string;
  remove: boolean;
  importFrom?: string;
}

/** The outcome for one file; `after` is the text to write (equal to `before` when unchanged). */
export interface FileResult {
  /** Absolute path (for writing). */
  abs: string;
  /** Path relative to the working folder, posix separators (for messages). */
  path: string;
  status: "changed" | "unchanged" | "skipped" | "failed";
  before: string;
  after: string;
  functions: number;
  skippedFunctions: SkippedFunction[];
  /** Why the whole file was skipped, or the error (`path:line:col: message`) when it failed. */
  reason?: string;
}

/**
 * Plan one file: read it and compute its new text, without writing anything. Never throws:
 * a file that does not parse (or whose instrumentation was altered) comes back `failed`.
 */
export function planFile(abs: string, opts: RunOptions, packages: PackageInfoCache): FileResult {
  const path = toPosix(relative(opts.cwd, abs)) || abs;
  const base: FileResult = { abs, path, status: "unchanged", before: "", after: "", functions: 0, skippedFunctions: [] };
  try {
    base.before = base.after = readFileSync(abs, "utf8");
    const pkg = packages.forFile(abs);
    if (pkg.name === "functrace") return { ...base, status: "skipped", reason: "functrace runtime" };
    if (opts.remove) {
      const after = removeInstrumentation(base.before, path);
      return { ...base, after, status: after === base.before ? "unchanged" : "changed", functions: after === base.before ? 0 : countHeads(base.before) };
    }
    // The path baked into the generated code is relative to the package root, wherever the command runs from.
    const displayPath = pkg.root ? toPosix(relative(pkg.root, abs)) : path;
    const r = instrumentText(base.before, { fileName: path, displayPath, importFrom: opts.importFrom, moduleType: pkg.type });
    const status = r.fileSkipped ? "skipped" : r.changed ? "changed" : "unchanged";
    return { ...base, after: r.text, status, functions: r.functions, skippedFunctions: r.skipped, reason: r.fileSkipped };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const reason = message.startsWith(path) ? message : `${path}: ${message}`;
    return { ...base, after: base.before, status: "failed", reason };
  }
}

/** What one planning thread does with each file, besides planning it. */
export interface TaskOptions extends RunOptions {
  /** Write a changed file right away (`-w`): no text is kept for a later pass. */
  write: boolean;
  /** Keep `before`/`after` in the result (stdout and `--diff` print them); otherwise both are emptied. */
  keepTexts: boolean;
}

/**
 * Plan one file, write it when asked, and drop its texts when nobody prints them: the unit of
 * work of the CLI, on the main thread or a worker (parallel.ts). Never throws; a file that
 * cannot be written comes back `failed` with the reason.
 */
export function processFile(abs: string, opts: TaskOptions, packages: PackageInfoCache): FileResult {
  const r = planFile(abs, opts, packages);
  if (opts.write && r.status === "changed") {
    try {
      writeFileAtomic(r.abs, r.after);
    } catch (err) {
      r.status = "failed";
      r.reason = `${r.path}: cannot write: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  if (!opts.keepTexts) r.before = r.after = "";
  return r;
}

const HEAD = new RegExp(`\\b${RESERVED.token} = ${RESERVED.api}\\.enter\\(`, "g");

/** How many function wrappers a text holds (what `--remove` takes out). */
function countHeads(text: string): number {
  return text.match(HEAD)?.length ?? 0;
}
