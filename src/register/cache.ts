import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** What one file became; `code` absent means "run the original text". */
export interface CacheEntry {
  code?: string;
  /** `path:line:col: message` when the file did not parse. */
  error?: string;
  functions: number;
}

/** The cache key: content hash + functrace version + everything else the output depends on. */
export function cacheKey(version: string, text: string, parts: readonly string[]): string {
  const hash = createHash("sha256");
  hash.update(`functrace@${version}\0${parts.join("\0")}\0`);
  hash.update(text);
  return hash.digest("hex");
}

/**
 * One JSON file per key, written to a temp name and renamed (readers never see half a file;
 * two processes or the loader thread and the main thread can share the folder). Any I/O failure
 * makes the cache a miss, never an error.
 */
export class DiskCache {
  private _ready = false;
  constructor(readonly dir: string) {}

  get(key: string): CacheEntry | undefined {
    try {
      const entry = JSON.parse(readFileSync(this._path(key), "utf8")) as CacheEntry;
      return typeof entry.functions === "number" ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  set(key: string, entry: CacheEntry): void {
    try {
      if (!this._ready) mkdirSync(this.dir, { recursive: true });
      this._ready = true;
      const tmp = `${this._path(key)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(tmp, JSON.stringify(entry));
      renameSync(tmp, this._path(key));
    } catch {
      // a read-only or full disk: every start-up re-instruments, the program still runs
    }
  }

  private _path(key: string): string {
    return join(this.dir, `${key}.json`);
  }
}
