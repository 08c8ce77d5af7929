import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The nearest package.json `type` of a folder, cached per folder: how a plain .js file runs. */
export class PackageTypes {
  private readonly _byDir = new Map<string, "esm" | "cjs">();

  of(file: string): "esm" | "cjs" {
    if (/\.m[jt]sx?$/i.test(file)) return "esm";
    if (/\.c[jt]sx?$/i.test(file)) return "cjs";
    return this._dir(dirname(file));
  }

  private _dir(dir: string): "esm" | "cjs" {
    let type = this._byDir.get(dir);
    if (type !== undefined) return type;
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        type = (JSON.parse(readFileSync(pkg, "utf8")) as { type?: unknown }).type === "module" ? "esm" : "cjs";
      } catch {
        type = "cjs";
      }
    } else type = dirname(dir) === dir ? "cjs" : this._dir(dirname(dir));
    this._byDir.set(dir, type);
    return type;
  }
}
