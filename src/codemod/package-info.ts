import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ModuleStyle } from "./ensure-import.js";

/** What the nearest package.json says about a file. */
export interface PackageInfo {
  name?: string;
  type?: ModuleStyle;
  /** The folder of the nearest package.json (absent when there is none). */
  root?: string;
}

/** Nearest-package.json lookups, cached per folder (one read per package, not per file). */
export class PackageInfoCache {
  private readonly _byDir = new Map<string, PackageInfo>();

  /** The nearest package.json's `name` and `type` (`module` → esm, else cjs) for a file. */
  forFile(file: string): PackageInfo {
    return this._forDir(dirname(file));
  }

  private _forDir(dir: string): PackageInfo {
    const cached = this._byDir.get(dir);
    if (cached) return cached;
    let info: PackageInfo;
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) info = { ...read(pkg), root: dir };
    else info = dirname(dir) === dir ? {} : this._forDir(dirname(dir));
    this._byDir.set(dir, info);
    return info;
  }
}

function read(file: string): PackageInfo {
  try {
    const json = JSON.parse(readFileSync(file, "utf8")) as { name?: unknown; type?: unknown };
    return { name: typeof json.name === "string" ? json.name : undefined, type: json.type === "module" ? "esm" : "cjs" };
  } catch {
    return {};
  }
}
