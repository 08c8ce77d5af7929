import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ignore, { type Ignore } from "ignore";
import picomatch from "picomatch";

/** Extensions functrace-gen rewrites. */
export const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

/** Options for turning command-line paths into files. */
export interface DiscoverOptions {
  include?: string[];
  exclude?: string[];
  /** Paths in globs and output are relative to this folder. */
  cwd: string;
}

/** What the command line named: the files to process and the paths that do not exist. */
export interface Discovered {
  files: string[];
  missing: string[];
}

interface Layer {
  base: string;
  ig: Ignore;
}

/** Is this a file name functrace-gen rewrites (not a `.d.ts`)? */
export function isSourceFile(name: string): boolean {
  return SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext)) && !/\.d\.[cm]?tsx?$/.test(name);
}

/**
 * Expand files and folders: folders are walked recursively for source files, skipping
 * `node_modules`, `.git`, declaration files and whatever `.gitignore` files ignore.
 * A file named explicitly is taken as is. Include/exclude globs apply to both.
 */
export function discover(paths: string[], opts: DiscoverOptions): Discovered {
  const files: string[] = [];
  const missing: string[] = [];
  const include = opts.include?.length ? picomatch(opts.include, { dot: true }) : undefined;
  const exclude = opts.exclude?.length ? picomatch(opts.exclude, { dot: true }) : undefined;
  const keep = (abs: string) => {
    const rel = toPosix(relative(opts.cwd, abs));
    return (!include || include(rel)) && !(exclude && exclude(rel));
  };
  for (const p of paths) {
    const abs = resolve(opts.cwd, p);
    if (!existsSync(abs)) missing.push(p);
    else if (statSync(abs).isDirectory()) walk(abs, ancestorLayers(abs), files, keep);
    else if (keep(abs)) files.push(abs);
  }
  return { files: [...new Set(files)], missing };
}

function walk(dir: string, layers: Layer[], out: string[], keep: (abs: string) => boolean): void {
  const own = loadLayer(dir);
  const active = own ? [...layers, own] : layers;
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const abs = join(dir, entry.name);
    if (entry.name === "node_modules" || entry.name === ".git") continue;
    const isDir = entry.isDirectory();
    if (isIgnored(active, abs, isDir)) continue;
    if (isDir) walk(abs, active, out, keep);
    else if (entry.isFile() && isSourceFile(entry.name) && keep(abs)) out.push(abs);
  }
}

function isIgnored(layers: Layer[], abs: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const rel = toPosix(relative(layer.base, abs));
    if (rel && !rel.startsWith("..") && layer.ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

function loadLayer(dir: string): Layer | undefined {
  const file = join(dir, ".gitignore");
  if (!existsSync(file)) return undefined;
  return { base: dir, ig: ignore().add(readFileSync(file, "utf8")) };
}

/** The `.gitignore` files between the repository root and `dir` (exclusive of `dir`). */
function ancestorLayers(dir: string): Layer[] {
  const chain: string[] = [];
  let at = dirname(dir);
  let found = existsSync(join(dir, ".git"));
  while (!found && at !== dirname(at)) {
    chain.unshift(at);
    if (existsSync(join(at, ".git"))) found = true;
    at = dirname(at);
  }
  if (!found) return [];
  return chain.map(loadLayer).filter((l): l is Layer => l !== undefined);
}

/** Posix separators, for globs and for the path passed to the runtime. */
export function toPosix(p: string): string {
  return sep === "/" ? p : p.split(sep).join("/");
}
