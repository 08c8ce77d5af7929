import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES, requireDist, ROOT, runTraced, tempDir } from "./helpers";

const BUILD = join(FIXTURES, "bundle", "build.mjs");
const dir = tempDir("bundle");

function build(bundler: string, mode: string, env: Record<string, string> = {}): string {
  const out = join(dir, `${bundler}-${mode}-${Object.keys(env).length}.mjs`);
  const r = spawnSync(process.execPath, [BUILD, bundler, mode, out], { cwd: ROOT, env: { ...process.env, NODE_ENV: "", ...env }, encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${bundler} ${mode} build failed: ${r.stderr}`);
  return out;
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
});

test("without the option, NODE_ENV=production decides (esbuild)", () => {
  expect(readFileSync(build("esbuild", "env", { NODE_ENV: "production" }), "utf8")).toBe(readFileSync(build("esbuild", "none"), "utf8"));
  expect(readFileSync(build("esbuild", "env", { NODE_ENV: "development" }), "utf8")).toContain("__ft.enter(\"shapes.area\"");
});
