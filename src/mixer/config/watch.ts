import { watch, statSync, type FSWatcher } from "node:fs";
import { basename, dirname, extname, resolve } from "node:path";

/** Options of {@link watchConfigPaths}. */
export interface WatchOptions {
  /** Quiet time after the last change before `onChange` runs (ms, default 1000 like Mixer). */
  readonly debounceMs?: number;
  /** Called once per burst of changes. */
  readonly onChange: () => void;
  /** Watcher failures (folder removed, too many watches); watching continues where it can. */
  readonly onError?: (error: Error) => void;
}

/** A running watch; `close()` stops it (idempotent). */
export interface ConfigWatch {
  close(): void;
}

/**
 * Watches config files and folders (folders recursively) for changes to `.yaml`/`.yml`
 * files (and sub-folders) and calls `onChange` once per burst, after `debounceMs` without further events
 * (Mixer debounces config events by 1 s). A file is watched through its parent folder so
 * editors that save by rename-and-replace keep triggering. Watchers and the debounce timer
 * are unref'd: watching never keeps the process alive.
 */
export function watchConfigPaths(paths: readonly string[], opts: WatchOptions): ConfigWatch {
  const debounceMs = opts.debounceMs ?? 1000;
  const onError = opts.onError ?? (() => undefined);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const fire = (): void => {
    timer = undefined;
    if (!closed) opts.onChange();
  };
  const schedule = (): void => {
    if (closed) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(fire, debounceMs);
    timer.unref();
  };
  const watchers: FSWatcher[] = [];
  for (const p of paths) {
    const w = startWatcher(resolve(p), schedule, onError);
    if (w) watchers.push(w);
  }
  return {
    close: () => {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}

function startWatcher(path: string, schedule: () => void, onError: (e: Error) => void): FSWatcher | undefined {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    onError(new Error(`cannot watch ${path}: ${(e as Error).message}`));
    return undefined;
  }
  const dir = isDir ? path : dirname(path);
  const only = isDir ? undefined : basename(path);
  try {
    const w = watch(dir, { recursive: isDir, persistent: false }, (_event, name) => {
      const file = name === null ? null : String(name);
      if (only !== undefined ? file === null || basename(file) === only : file === null || isYaml(file)) schedule();
    });
    w.on("error", (e: Error) => onError(new Error(`watching ${path} failed: ${e.message}`)));
    return w;
  } catch (e) {
    onError(new Error(`cannot watch ${path}: ${(e as Error).message}`));
    return undefined;
  }
}

/** YAML files, and extension-less names (sub-folders created, renamed or removed). */
function isYaml(file: string): boolean {
  const ext = extname(file);
  return ext === ".yaml" || ext === ".yml" || ext === "";
}
