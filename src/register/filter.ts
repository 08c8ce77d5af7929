import { isAbsolute, relative } from "node:path";
import picomatch from "picomatch";
import { DEFAULT_EXCLUDE, type InstrumentSettings } from "./options.js";

/** Posix separators, for globs and for the `file` passed to the runtime. */
export function toPosix(path: string): string {
  return path.replace(/\\/g, "/");
}

/**
 * Which files to instrument: under `cwd`, matching `include`, not matching `exclude`, never in
 * `node_modules` and never functrace's own files (`ownRoot`/dist and /src).
 */
export function createFileFilter(settings: Pick<InstrumentSettings, "cwd" | "include" | "exclude">, ownRoot?: string): (file: string) => boolean {
  const include = picomatch(settings.include, { dot: true });
  const exclude = picomatch([...DEFAULT_EXCLUDE, ...settings.exclude], { dot: true });
  const own = ownRoot === undefined ? [] : [`${toPosix(ownRoot)}/dist/`, `${toPosix(ownRoot)}/src/`];
  return (file) => {
    if (!isAbsolute(file)) return false;
    const abs = toPosix(file);
    if (own.some((prefix) => abs.startsWith(prefix))) return false;
    const rel = toPosix(relative(settings.cwd, file));
    if (rel === "" || rel.startsWith("../") || isAbsolute(rel)) return false;
    return include(rel) && !exclude(rel);
  };
}
