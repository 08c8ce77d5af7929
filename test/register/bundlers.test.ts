import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES, requireDist, ROOT, runTraced, tempDir } from "./helpers";

const BUILD = join(FIXTURES, "bundle", "build.mjs");
const dir = tempDir("bundle");

function build(bundler: string, mode: string, env: Record<string, string> = {}, sourceDir?: string, tag = ""): string {
  const out = join(dir, `${bundler}-${mode}-${Object.keys(env).length}${tag}.mjs`);
  const r = spawnSync(process.execPath, [BUILD, bundler, mode, out, ...(sourceDir ? [sourceDir] : [])], { cwd: ROOT, env: { ...process.env, NODE_ENV: "", ...env }, encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${bundler} ${mode} build failed: ${r.stderr}`);
  return out;
}

/** A copy of the fixture sources in a folder of its own (instrumented in place later). */
function sourceCopy(tag: string): string {
  const to = join(dir, `src-${tag}`);
  cpSync(join(FIXTURES, "bundle"), to, { recursive: true });
  return to;
}

/** `functrace-gen -w` on a folder: sources instrumented and committed that way. */
function instrumentInPlace(folder: string): void {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "functrace-gen.js"), "-w", folder], { cwd: folder, encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`functrace-gen failed: ${r.stderr}`);
}

const TREE_HEAD = [
  "g[01]:    ->entry.main",
  "g[01]:        ->shapes.Shape.constructor",
  "g[01]:        <-shapes.Shape.constructor",
  "g[01]:        ->shapes.Shape.constructor",
  "g[01]:        <-shapes.Shape.constructor",
  "g[01]:        ->entry.main.<anonymous>@5",
  "g[01]:            ->shapes.area",
  "g[01]:                ->shapes.square",
];

beforeAll(requireDist);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(["esbuild", "rollup", "vite"])("functrace/unplugin on %s", (bundler) => {
  test("a development build is traced", () => {
    const run = runTraced([build(bundler, "dev")]);
    expect(run.stdout).toBe("areas=4,3\n");
    expect(run.tree.split("\n").slice(0, TREE_HEAD.length)).toEqual(TREE_HEAD);
    expect(run.tree.split("\n").filter((l) => l.includes("->"))).toHaveLength(9);
  });

  test("a production build is byte for byte the bundle built without the plugin", () => {
    const plain = readFileSync(build(bundler, "none"), "utf8");
    expect(readFileSync(build(bundler, "prod"), "utf8")).toBe(plain);
    expect(plain).not.toContain("__ft");
  });

  test("a production build of sources instrumented in the tree (functrace-gen -w) is the bundle of the originals", () => {
    const src = sourceCopy(bundler);
    const plain = readFileSync(build(bundler, "none", {}, src, "-orig"), "utf8");
    instrumentInPlace(src);
    expect(readFileSync(join(src, "shapes.mjs"), "utf8")).toContain("__ft.enter(");
    expect(readFileSync(build(bundler, "prod", {}, src, "-inst"), "utf8")).toBe(plain);
    // without the plugin the wrappers (and the runtime import) would be in the bundle
    expect(readFileSync(build(bundler, "dev", {}, src, "-inst"), "utf8")).toContain("__ft.enter(\"shapes.area\"");
  });
});

test("a hand-edited wrapper stays in a production build, with a warning naming the file and line (esbuild)", () => {
  const src = sourceCopy("edited");
  instrumentInPlace(src);
  const shapes = join(src, "shapes.mjs");
  writeFileSync(shapes, readFileSync(shapes, "utf8").replace("__ft.exit(__ft_t); }", "__ft.exit(__ft_t) }"));
  const out = join(dir, "esbuild-prod-edited.mjs");
  const r = spawnSync(process.execPath, [BUILD, "esbuild", "prod", out, src], { cwd: ROOT, env: { ...process.env, FT_BUILD_LOG: "warning" }, encoding: "utf8", timeout: 120_000 });
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/functrace: .*shapes\.mjs:\d+:\d+: cannot remove .*its wrappers stay in the bundle/);
  const bundle = readFileSync(out, "utf8");
  expect(bundle).toContain("__ft.exit(__ft_t)");
  // the other file's wrappers are still stripped
  expect(bundle).not.toContain("__ft.enter(\"entry.main\"");
});

test("without the option, NODE_ENV=production decides (esbuild)", () => {
  expect(readFileSync(build("esbuild", "env", { NODE_ENV: "production" }), "utf8")).toBe(readFileSync(build("esbuild", "none"), "utf8"));
  expect(readFileSync(build("esbuild", "env", { NODE_ENV: "development" }), "utf8")).toContain("__ft.enter(\"shapes.area\"");
});
