import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ignore, { type Ignore } from "ignore";

/** Extensions functrace-gen rewrites. */
export const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

/**
 * What a package root (a folder with a package.json) leaves out unless `defaultExcludes` is off:
 * tests, benchmarks, fixtures, docs and examples, in .gitignore syntax.
 */
export const DEFAULT_EXCLUDES = [
  "test/", "tests/", "__tests__/", "__mocks__/", "*.test.*", "*.spec.*",
  "bench/", "benchmark/", "benchmarks/", "fixtures/", "__fixtures__/", "docs/", "examples/", "coverage/",
];

/** Options for turning command-line paths into files. */
export interface DiscoverOptions {
  /**
   * Globs in .gitignore syntax (the `ignore` package), matched against paths relative to the
   * folder given on the command line (for a file given by name: relative to `cwd`): `*.ts`
   * matches at any depth, `src/*.ts` only under that folder's `src/`, `fixtures/` a folder.
   */
  include?: string[];
  exclude?: string[];
  /** Leave out DEFAULT_EXCLUDES under a folder that is a package root. Default true. */
  defaultExcludes?: boolean;
  /** Paths given on the command line are relative to this folder. */
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
  const include = opts.include?.length ? ignore().add(opts.include) : undefined;
  for (const p of paths) {
    const abs = resolve(opts.cwd, p);
    if (!existsSync(abs)) {
      missing.push(p);
      continue;
    }
    const isDir = statSync(abs).isDirectory();
    const base = isDir ? abs : opts.cwd;
    const excludes = [...(opts.exclude ?? [])];
    if (isDir && opts.defaultExcludes !== false && existsSync(join(abs, "package.json"))) excludes.push(...DEFAULT_EXCLUDES);
    const exclude = excludes.length ? ignore().add(excludes) : undefined;
    const filter: Filter = (file, dir) => {
      const rel = toPosix(relative(base, file));
      if (!rel || rel.startsWith("..")) return true;
      if (exclude?.ignores(dir ? `${rel}/` : rel)) return false;
      return dir || !include || include.ignores(rel);
    };
    if (isDir) walk(abs, ancestorLayers(abs), files, filter);
    else if (filter(abs, false)) files.push(abs);
  }
  return { files: [...new Set(files)], missing };
}

/** Keep this file (or walk this folder)? */
type Filter = (abs: string, isDir: boolean) => boolean;

function walk(dir: string, layers: Layer[], out: string[], keep: Filter): void {
  const own = loadLayer(dir);
  const active = own ? [...layers, own] : layers;
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const abs = join(dir, entry.name);
    if (entry.name === "node_modules" || entry.name === ".git") continue;
    const isDir = entry.isDirectory();
    if (isIgnored(active, abs, isDir) || !keep(abs, isDir)) continue;
    if (isDir) walk(abs, active, out, keep);
    else if (entry.isFile() && isSourceFile(entry.name)) out.push(abs);
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
