import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { instrumentText } from "../../src/codemod/index";
import { ROOT } from "../helpers/run-node";

export { ROOT };
export const REGISTER = join(ROOT, "dist", "cjs", "register", "index.mjs");
export const FIXTURES = join(ROOT, "test", "fixtures", "register");

/** Fails early with a clear message when dist/ was not built (`npm run build`). */
export function requireDist(): void {
  if (!existsSync(REGISTER)) throw new Error(`${REGISTER} is missing: run \`npm run build\` first`);
}

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `ft-register-${tag}-`));
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The FUNCTRACE=on tree (FUNCTRACE_OUTPUT file). */
  tree: string;
}

/** Runs node with FUNCTRACE=on writing the tree to a file; returns output and tree. */
export function runTraced(args: string[], opts: { cwd?: string; env?: Record<string, string>; node?: string } = {}): Run {
  const out = join(tempDir("out"), "tree.txt");
  const result = spawnSync(opts.node ?? process.execPath, args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, FUNCTRACE: "on", FUNCTRACE_OUTPUT: out, FUNCTRACE_COLOR: "never", ...opts.env },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  const tree = existsSync(out) ? readFileSync(out, "utf8") : "";
  rmSync(join(out, ".."), { recursive: true, force: true });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, tree };
}

/** sha256 of every file under a folder, by relative path: proof that nothing was rewritten. */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

/**
 * The codemod's way in, for comparison: copy a fixture folder, rewrite every file with
 * `instrumentText` (display paths as `--import` computes them from `cwd`), pointing the import
 * at this checkout's runtime (ESM or CommonJS build by file type).
 */
export function codemodCopy(fixture: string, cwd: string): string {
  const dir = tempDir("codemod");
  cpSync(fixture, dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    const displayPath = relative(cwd, join(fixture, name)).replace(/\\/g, "/");
    const esm = /\.m[jt]s$/.test(name);
    const importFrom = join(ROOT, "dist", esm ? "esm" : "cjs", "index.js");
    try {
      const r = instrumentText(readFileSync(file, "utf8"), { fileName: displayPath, displayPath, importFrom });
      writeFileSync(file, r.text);
    } catch {
      // left as written, as --import leaves it
    }
  }
  return dir;
}
