import type { LogSink } from "../adapter/logger.js";
import { ConfigError, ConfigValidationError } from "../config/errors.js";
import { loadConfigFiles, type LoadedSource } from "../config/source.js";
import { watchConfigPaths, type ConfigWatch } from "../config/watch.js";
import { safeSink } from "./safe-sink.js";

/** Watch mode of a file/folder config source (`DispatcherOptions.watch`, `dispatcher.watch()`). */
export interface WatchConfig {
  /** Quiet time after the last change before reloading (ms, default 1000 like Mixer). */
  readonly debounceMs?: number;
  /** Told about every watch-triggered reload: applied, or refused with every problem. */
  readonly onReload?: (result: WatchReload) => void;
}

/** Outcome of a watch-triggered reload. A refused reload leaves the previous config live. */
export interface WatchReload {
  readonly applied: boolean;
  /** Every validation problem (located: `file#doc:line resource.field`) when refused; empty when applied. */
  readonly errors: readonly ConfigError[];
  /** Handlers of the applied config whose build failed. */
  readonly buildErrors: readonly Error[];
}

/** Applies a source strictly (all-or-nothing); resolves with the build errors. */
export type StrictApply = (source: LoadedSource) => Promise<{ readonly buildErrors: readonly Error[] }>;

/**
 * Watches `paths` and, after each debounced burst of changes, re-reads them and applies
 * them all-or-nothing: a config with any validation problem is refused, the current one
 * stays live, and every problem is logged (scope `config`) and passed to `onReload`.
 */
export function watchAndReload(paths: readonly string[], opts: WatchConfig, logSink: LogSink, apply: StrictApply): ConfigWatch {
  const sink = safeSink(logSink);
  const reload = async (): Promise<void> => {
    let result: WatchReload;
    try {
      const u = await apply(loadConfigFiles(paths));
      result = { applied: true, errors: [], buildErrors: u.buildErrors };
      sink("info", "config", `reloaded ${paths.join(", ")}`);
    } catch (e) {
      const errors = e instanceof ConfigValidationError ? e.configErrors : [new ConfigError({}, (e as Error).message)];
      for (const err of errors) sink("error", "config", err.toString());
      sink("warn", "config", `reload of ${paths.join(", ")} refused (${errors.length} problem(s)); the previous config stays live`);
      result = { applied: false, errors, buildErrors: [] };
    }
    try {
      opts.onReload?.(result);
    } catch (e) {
      sink("warn", "config", `onReload callback threw: ${(e as Error).message}`);
    }
  };
  return watchConfigPaths(paths, {
    debounceMs: opts.debounceMs,
    // reload() cannot reject (every step is guarded); the catch is the last line of defence.
    onChange: () => void reload().catch(() => undefined),
    onError: (e) => sink("warn", "config", e.message),
  });
}
