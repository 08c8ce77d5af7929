/**
 * Settings of load-time and build-time instrumentation. From the environment for
 * `--import functrace/register`; from plugin/transformer options for the integrations.
 */
export interface InstrumentSettings {
  /** Folder paths and globs are relative to; also the base of the `file` passed to the runtime. */
  cwd: string;
  /** Globs (relative to cwd) of files to instrument. Default: every JS/TS file under cwd. */
  include: string[];
  /** Globs of files never instrumented; always added: `node_modules`, functrace's own files. */
  exclude: string[];
  /** Folder of the on-disk cache; null turns it off. */
  cacheDir: string | null;
  /** The module the injected import names. Default `functrace`. */
  importFrom: string;
  /** Print one line per file handled (instrumented, cache hit, unchanged, failed) to stderr. */
  log: boolean;
}

/** Every extension the codemod handles. */
export const DEFAULT_INCLUDE = ["**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}"];
export const DEFAULT_EXCLUDE = ["**/node_modules/**", "**/*.d.ts", "**/*.d.mts", "**/*.d.cts"];

const OFF = new Set(["off", "0", "false", "no", "none"]);

function list(value: string | undefined): string[] | undefined {
  const items = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return items.length > 0 ? items : undefined;
}

/** Settings from FUNCTRACE_INCLUDE_FILES, FUNCTRACE_EXCLUDE_FILES, FUNCTRACE_CACHE_DIR, FUNCTRACE_REGISTER_LOG. */
export function settingsFromEnv(env: NodeJS.ProcessEnv, cwd: string, defaultCacheDir: string): InstrumentSettings {
  const cache = env.FUNCTRACE_CACHE_DIR?.trim();
  return {
    cwd,
    include: list(env.FUNCTRACE_INCLUDE_FILES) ?? DEFAULT_INCLUDE,
    exclude: list(env.FUNCTRACE_EXCLUDE_FILES) ?? [],
    cacheDir: cache === undefined || cache === "" ? defaultCacheDir : OFF.has(cache.toLowerCase()) ? null : cache,
    importFrom: env.FUNCTRACE_IMPORT_FROM?.trim() || "functrace",
    log: ["1", "on", "true", "yes"].includes((env.FUNCTRACE_REGISTER_LOG ?? "").trim().toLowerCase()),
  };
}

/** True when FUNCTRACE=off: the runtime is a no-op, so nothing is worth instrumenting. */
export function tracingOff(env: NodeJS.ProcessEnv): boolean {
  return OFF.has((env.FUNCTRACE ?? "").trim().toLowerCase());
}
