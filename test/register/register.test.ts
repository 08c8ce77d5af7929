import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { codemodCopy, FIXTURES, hashTree, REGISTER, requireDist, ROOT, runTraced, tempDir } from "./helpers";

const APP = join(FIXTURES, "app");
const cleanup: string[] = [];
const cache = () => {
  const dir = tempDir("cache");
  cleanup.push(dir);
  return dir;
};

beforeAll(requireDist);
afterAll(() => cleanup.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("node --import functrace/register", () => {
  test.each(["main.mjs", "main.cjs"])("%s: traced with no file changed, the same tree as the codemod's output", (entry) => {
    const before = hashTree(APP);
    const loaded = runTraced(["--import", REGISTER, join(APP, entry)], { env: { FUNCTRACE_CACHE_DIR: cache() } });
    expect(loaded.status).toBe(0);
    expect(hashTree(APP)).toEqual(before);

    const copy = codemodCopy(APP, ROOT);
    cleanup.push(copy);
    const rewritten = runTraced([join(copy, entry)]);
    expect(rewritten.status).toBe(0);
    expect(loaded.stdout).toBe(rewritten.stdout);
    expect(loaded.tree).toBe(rewritten.tree);
    expect(loaded.tree).toContain("->helper.add");
  });

  test("ESM chain: flows and depths as the codemod gives them", () => {
    const run = runTraced(["--import", REGISTER, join(APP, "main.mjs")], { env: { FUNCTRACE_CACHE_DIR: cache() } });
    expect(run.stdout).toBe("total=6\n");
    const lines = run.tree.split("\n");
    expect(lines.slice(0, 2)).toEqual(["g[01]:    ->main.main", "g[01]:        ->chain.A2"]);
    expect(lines).toContain("g[02]:                    ->chain.D");
    expect(lines).toContain("g[01]:                    ->chain.Worker.run");
  });

  test("a file that does not parse is reported as path:line:col and reaches Node as written", () => {
    const run = runTraced(["--import", REGISTER, join(APP, "main.cjs")], { env: { FUNCTRACE_CACHE_DIR: "off" } });
    expect(run.status).toBe(0);
    // Node's own SyntaxError, caught by the program as it would be without functrace
    expect(run.stdout).toBe("total=12 broken=SyntaxError\n");
    expect(run.stderr).toContain("functrace: test/fixtures/register/app/broken.cjs:4:10: ':' expected. (not instrumented; the file runs as written)");
    expect(run.tree).toContain("->main.Store.get size");
    expect(run.tree).toContain("->main.loadBroken");
  });

  test("a restart reads every file from the cache", () => {
    const env = { FUNCTRACE_CACHE_DIR: cache(), FUNCTRACE_REGISTER_LOG: "1" };
    const cold = runTraced(["--import", REGISTER, join(APP, "main.cjs")], { env });
    const warm = runTraced(["--import", REGISTER, join(APP, "main.cjs")], { env });
    const logged = (r: { stderr: string }) => r.stderr.split("\n").filter((l) => l.startsWith("functrace/register: "));
    expect(logged(cold)).toEqual([
      "functrace/register: test/fixtures/register/app/main.cjs: 5 functions",
      "functrace/register: test/fixtures/register/app/helper.cjs: 3 functions",
      "functrace/register: test/fixtures/register/app/broken.cjs: failed",
    ]);
    expect(logged(warm)).toEqual(logged(cold).map((l) => `${l} (cache)`));
    expect(warm.stderr).toContain("broken.cjs:4:10:"); // still reported from the cache
    expect(warm.tree).toBe(cold.tree);
  });

  test("FUNCTRACE_EXCLUDE_FILES and FUNCTRACE_INCLUDE_FILES pick the files", () => {
    const excluded = runTraced(["--import", REGISTER, join(APP, "main.mjs")], {
      env: { FUNCTRACE_CACHE_DIR: "off", FUNCTRACE_EXCLUDE_FILES: "**/helper.cjs" },
    });
    expect(excluded.tree).toContain("->chain.A1");
    expect(excluded.tree).not.toContain("helper.");
    const included = runTraced(["--import", REGISTER, join(APP, "main.mjs")], {
      env: { FUNCTRACE_CACHE_DIR: "off", FUNCTRACE_INCLUDE_FILES: "**/helper.cjs" },
    });
    expect(included.tree).not.toContain("chain.");
    expect(included.tree).toContain("->helper.sum");
  });

  test("outside any package that has functrace: the instrumented files fall back to this copy", () => {
    const dir = tempDir("app");
    cleanup.push(dir);
    cpSync(APP, dir, { recursive: true });
    const run = runTraced(["--import", REGISTER, "main.mjs"], { cwd: dir, env: { FUNCTRACE_CACHE_DIR: "off" } });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("total=6\n");
    expect(run.tree).toContain("g[01]:        ->helper.sum");
  });

  test("files outside the working folder and in node_modules are left alone", () => {
    const run = runTraced(["--import", REGISTER, join(APP, "main.mjs")], {
      cwd: join(FIXTURES, "ts"),
      env: { FUNCTRACE_CACHE_DIR: "off", FUNCTRACE_REGISTER_LOG: "1" },
    });
    expect(run.stdout).toBe("total=6\n");
    expect(run.tree).toBe("");
    expect(run.stderr).not.toContain("functrace/register:");
  });

  test("FUNCTRACE=off: nothing is instrumented", () => {
    const run = runTraced(["--import", REGISTER, join(APP, "main.mjs")], {
      env: { FUNCTRACE: "off", FUNCTRACE_CACHE_DIR: "off", FUNCTRACE_REGISTER_LOG: "1" },
    });
    expect(run.stdout).toBe("total=6\n");
    expect(run.stderr).toBe("");
  });

  test("--require functrace/register does the same for a CommonJS preload", () => {
    const run = runTraced(["--require", join(ROOT, "dist", "cjs", "register", "require.js"), join(APP, "main.mjs")], {
      env: { FUNCTRACE_CACHE_DIR: "off" },
    });
    expect(run.stdout).toBe("total=6\n");
    expect(run.tree).toContain("g[02]:                    ->chain.D");
    expect(run.tree).toContain("->helper.add");
  });
});

const typeStripping = (process.features as { typescript?: string }).typescript !== undefined;
(typeStripping ? describe : describe.skip)("with Node's type stripping (Node 22.6+ flag, 23.6+/24 default)", () => {
  const TS = join(FIXTURES, "ts");
  test("an .mts program: types in the text we instrument, stripped by Node after the hook", () => {
    const run = runTraced(["--import", REGISTER, join(TS, "main.mts")], { env: { FUNCTRACE_CACHE_DIR: "off" } });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("HELLO TS\n");
    expect(run.tree.split("\n").slice(0, 5)).toEqual([
      "g[01]:    ->main.main",
      "g[01]:        ->greeter.Greeter.constructor",
      "g[01]:        <-greeter.Greeter.constructor",
      "g[01]:        ->greeter.Greeter.greet",
      "g[01]:            ->greeter.shout",
    ]);
  });

  test("a CommonJS .cts program gets the require form of the import", () => {
    const run = runTraced(["--import", REGISTER, join(TS, "main.cts")], { env: { FUNCTRACE_CACHE_DIR: "off" } });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("cts=41\n");
    expect(run.tree).toBe("g[01]:    ->main.run\ng[01]:        ->math.double\ng[01]:        <-math.double\ng[01]:    <-main.run\n");
  });
});
