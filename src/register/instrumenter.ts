import { writeSync } from "node:fs";
import { relative } from "node:path";
import type { InstrumentOptions, InstrumentResult } from "../codemod/index.js";
import { cacheKey, DiskCache, type CacheEntry } from "./cache.js";
import { createFileFilter, toPosix } from "./filter.js";
import type { InstrumentSettings } from "./options.js";

/** The codemod's pure transform (`instrumentText` of `functrace/codemod`). */
export type InstrumentFn = (text: string, options: InstrumentOptions) => InstrumentResult;

/** One file to instrument. */
export interface TransformRequest {
  text: string;
  /** Absolute path. */
  file: string;
  /** For JavaScript without import/export syntax: the module system the loader uses for it. */
  moduleType?: "esm" | "cjs";
  /** The loader runs the result as CommonJS: a TypeScript file gets `require`, not `import`. */
  commonJs?: boolean;
}

/** What a file became. Equal `code` and `text` mean "run the original". */
export interface TransformOutcome {
  code: string;
  changed: boolean;
  functions: number;
  /** `path:line:col: message` when the file did not parse (the original runs). */
  error?: string;
  fromCache: boolean;
}

/** Where the instrumenter's lines go (parse failures, and every file with `log`). */
export type Reporter = (message: string) => void;

// Synchronous: the loader thread's process.stderr is relayed asynchronously and can lose lines at exit.
const stderrReporter: Reporter = (message) => {
  try {
    writeSync(2, `${message}\n`);
  } catch {
    // stderr closed: nothing to report to
  }
};

/**
 * The codemod at load or build time: filters files, keys a disk cache by content hash and
 * functrace version, loads the codemod (and so ts-morph) only on a cache miss, and never
 * throws: a file that does not parse is reported once as `path:line:col: message` and runs as
 * written.
 */
export class Instrumenter {
  readonly accepts: (file: string) => boolean;
  private readonly _cache: DiskCache | undefined;
  private readonly _reported = new Set<string>();

  constructor(
    readonly settings: InstrumentSettings,
    private readonly _version: string,
    private readonly _codemod: () => InstrumentFn,
    ownRoot?: string,
    private readonly _report: Reporter = stderrReporter,
  ) {
    this.accepts = createFileFilter(settings, ownRoot);
    this._cache = settings.cacheDir === null ? undefined : new DiskCache(settings.cacheDir);
  }

  /** Instrument one file's text (callers check `accepts` first). Never throws. */
  transform(req: TransformRequest): TransformOutcome {
    const displayPath = toPosix(relative(this.settings.cwd, req.file)) || req.file;
    try {
      const parts = [displayPath, req.moduleType ?? "", this.settings.importFrom, req.commonJs ? "cjs" : ""];
      const key = this._cache && cacheKey(this._version, req.text, parts);
      let entry = key === undefined ? undefined : this._cache!.get(key);
      const fromCache = entry !== undefined;
      if (entry === undefined) {
        entry = this._instrument(req, displayPath);
        if (key !== undefined) this._cache!.set(key, entry);
      }
      const code = entry.code ?? req.text;
      this._log(displayPath, entry, fromCache);
      return { code, changed: code !== req.text, functions: entry.functions, error: entry.error, fromCache };
    } catch (error) {
      // the codemod could not even load (ts-morph missing?): run everything as written
      this._once(`functrace: ${displayPath}: not instrumented: ${error instanceof Error ? error.message : String(error)}`);
      return { code: req.text, changed: false, functions: 0, fromCache: false };
    }
  }

  private _instrument(req: TransformRequest, displayPath: string): CacheEntry {
    const instrumentText = this._codemod();
    try {
      const r = instrumentText(req.text, {
        fileName: displayPath,
        displayPath,
        importFrom: this.settings.importFrom,
        moduleType: req.moduleType,
      });
      if (!r.changed) return { functions: 0 };
      return { code: req.commonJs ? requireStyle(r.text, this.settings.importFrom) : r.text, functions: r.functions };
    } catch (error) {
      if (error instanceof Error && error.name === "ParseError") return { functions: 0, error: error.message };
      throw error;
    }
  }

  private _log(path: string, entry: CacheEntry, fromCache: boolean): void {
    if (entry.error !== undefined) this._once(`functrace: ${entry.error} (not instrumented; the file runs as written)`);
    if (!this.settings.log) return;
    const what = entry.error !== undefined ? "failed" : entry.code === undefined ? "unchanged" : `${entry.functions} functions`;
    this._report(`functrace/register: ${path}: ${what}${fromCache ? " (cache)" : ""}`);
  }

  private _once(message: string): void {
    if (this._reported.has(message)) return;
    this._reported.add(message);
    this._report(message);
  }
}

/**
 * The codemod gives TypeScript files `import` (tsc turns it into `require`); a loader that runs
 * the file as CommonJS as it is (Node's type stripping of a `commonjs-typescript` file, a
 * require hook after tsx) needs the `require` form of the same contract line.
 */
export function requireStyle(text: string, from: string): string {
  const spec = JSON.stringify(from);
  return text.replace(`import { __ft } from ${spec};`, `const { __ft } = require(${spec});`);
}
