import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** functrace's package folder, from a file inside dist/<cjs|esm>/<folder>/ (or src/<folder>/ under ts-jest). */
export function packageRootFrom(dir: string): string {
  const up = join(dir, "..");
  return /[\\/]dist[\\/](?:cjs|esm)$/.test(up) ? join(up, "..", "..") : join(up, "..");
}

/** The version in functrace's package.json; part of every cache key. */
export function packageVersion(root: string): string {
  try {
    return String((JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: unknown }).version ?? "0");
  } catch {
    return "0";
  }
}

/**
 * The default cache folder: `node_modules/.cache/functrace` of the working folder (babel and
 * eslint do the same), or a folder under the OS temp folder when there is no node_modules.
 */
export function defaultCacheDir(cwd: string): string {
  const modules = join(cwd, "node_modules");
  return existsSync(modules) ? join(modules, ".cache", "functrace") : join(tmpdir(), "functrace-cache");
}
