import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { instrumentFixture, listFixtures, type Fixture } from "./fixtures.js";

// Runs the behaviour fixtures original and instrumented against the built runtime (dist/, via a
// node_modules/functrace symlink to the package root) and compares what they print.
const root = join(__dirname, "..", "..");
const built = existsSync(join(root, "dist", "cjs", "index.js")) && existsSync(join(root, "dist", "esm", "index.js"));
const fixtures = listFixtures().filter((f) => f.name.startsWith("behaviour-"));
let dir: string;

function run(f: Fixture, text: string, env: Record<string, string>): { stdout: string; stderr: string } {
  const file = join(dir, `prog-${Math.random().toString(36).slice(2)}${f.ext}`);
  writeFileSync(file, text);
  const res = spawnSync(process.execPath, [file], { cwd: dir, env: { ...process.env, FUNCTRACE: "off", ...env }, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`${f.name} exited ${res.status}: ${res.stderr}`);
  return { stdout: res.stdout, stderr: res.stderr };
}

beforeAll(() => {
  if (!built) throw new Error("dist/ is missing: run `npm run build` before the codemod behaviour tests");
  dir = mkdtempSync(join(tmpdir(), "functrace-behaviour-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(root, join(dir, "node_modules", "functrace"), "dir");
});

afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe("instrumented code behaviour", () => {
  it.each(fixtures.map((f) => [f.name, f] as const))("should print the same as the original for %s", (_n, f) => {
    const original = run(f, f.input, {});
    const instrumented = run(f, instrumentFixture(f).text, {});
    expect(JSON.parse(instrumented.stdout)).toEqual(JSON.parse(original.stdout));
  });

  it("should trace the calls with FUNCTRACE=on", () => {
    const f = fixtures.find((x) => x.name === "behaviour-cjs") as Fixture;
    const { stderr } = run(f, instrumentFixture(f).text, { FUNCTRACE: "on" });
    // Flow ids depend on the runtime's numbering; the shape of each chain is what the codemod owns.
    const lines = stderr.split("\n").map((l) => l.replace(/^g\[\d+\]:/, "g:").trimEnd());
    const chain = (first: string, n: number) => lines.slice(lines.indexOf(first), lines.indexOf(first) + n);
    expect(chain("g:    ->behaviour-cjs.hoisting", 4)).toEqual([
      "g:    ->behaviour-cjs.hoisting",
      "g:        ->behaviour-cjs.hoisting.inner",
      "g:        <-behaviour-cjs.hoisting.inner",
      "g:    <-behaviour-cjs.hoisting",
    ]);
    expect(chain("g:    ->behaviour-cjs.Derived.describe", 4)).toEqual([
      "g:    ->behaviour-cjs.Derived.describe",
      "g:        ->behaviour-cjs.Base.describe",
      "g:        <-behaviour-cjs.Base.describe",
      "g:    <-behaviour-cjs.Derived.describe",
    ]);
    expect(chain("g:    ->behaviour-cjs.Base.make", 6)).toEqual([
      "g:    ->behaviour-cjs.Base.make",
      "g:        ->behaviour-cjs.Base.constructor",
      "g:        <-behaviour-cjs.Base.constructor",
      "g:        ->behaviour-cjs.Derived.constructor",
      "g:        <-behaviour-cjs.Derived.constructor",
      "g:    <-behaviour-cjs.Base.make",
    ]);
    for (const name of ["Derived.#hidden", "Derived.get twice", "Derived.set twice", "Derived.field", "obj.inc", "gen"]) {
      expect(lines).toContain(`g:    ->behaviour-cjs.${name}`.replace("    ->behaviour-cjs.Derived.#hidden", "        ->behaviour-cjs.Derived.#hidden"));
    }
  });

  it("should trace async chains in one flow each with FUNCTRACE=on", () => {
    const f = fixtures.find((x) => x.name === "behaviour-esm") as Fixture;
    const { stderr } = run(f, instrumentFixture(f).text, { FUNCTRACE: "on" });
    const lines = stderr.split("\n").filter((l) => l.length > 0);
    const byFlow = new Map<string, string[]>();
    for (const l of lines) {
      const m = /^(g\[\d+\]):(\s*)(->|<-)(.*)$/.exec(l);
      // drop the runtime's annotations: where a flow came from (`<~ g[01] main`), a request, an exception mark
      if (m) byFlow.set(m[1], [...(byFlow.get(m[1]) ?? []), `${m[2].length}${m[3]}${m[4].replace(/ (?:<~|~>|!|\[).*$/, "")}`]);
    }
    // Every flow is one correctly nested chain: each exit matches the latest open entry at the same depth.
    for (const [flow, events] of byFlow) {
      const open: string[] = [];
      for (const e of events) {
        if (e.includes("->")) open.push(e.replace("->", "<-"));
        else expect({ flow, exit: e }).toEqual({ flow, exit: open.pop() });
      }
      expect({ flow, open }).toEqual({ flow, open: [] });
    }
    expect(lines.some((l) => l.endsWith("->behaviour-esm.consume"))).toBe(true);
  });
});
