import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/codemod/cli.js";

// A suite with a 100 % coverage threshold, run by Jest in a child process with the `babel`
// (istanbul) and `v8` providers, before and after instrumentation: the gate still passes and
// the totals that matter are unchanged (see docs/codemod.md, "Coverage and lint").
const root = join(__dirname, "..", "..");
const SOURCE = `"use strict";
function add(a, b) {
  return a + b;
}
const double = (x) => x * 2;
class Counter {
  constructor() {
    this.n = 0;
  }
  inc() {
    this.n += 1;
    return this.n;
  }
}
async function load(fail) {
  let out;
  try {
    await Promise.resolve(1);
    if (fail) throw new Error("boom");
    out = "ok";
  } catch (e) {
    out = e.message;
  } finally {
    add(1, 1);
  }
  return out;
}
function* count(n) {
  for (let i = 0; i < n; i++) yield i;
}
module.exports = { add, double, Counter, load, count };
`;
const TEST = `const m = require("../src/lib.js");
test("everything", async () => {
  expect(m.add(1, 2)).toBe(3);
  expect(m.double(2)).toBe(4);
  expect(new m.Counter().inc()).toBe(1);
  expect(await m.load(false)).toBe("ok");
  expect(await m.load(true)).toBe("boom");
  expect([...m.count(2)]).toEqual([0, 1]);
});
`;
let dir: string;

type Totals = Record<"lines" | "statements" | "functions" | "branches", { total: number; covered: number; pct: number }>;

function jest(provider: "babel" | "v8"): { status: number | null; totals: Totals; output: string } {
  const r = spawnSync(
    process.execPath,
    [join(root, "node_modules", "jest", "bin", "jest.js"), "--rootDir", dir, "--coverage", "--coverageProvider", provider, "--coverageReporters", "json-summary", "--ci", "--cacheDirectory", join(dir, ".cache", provider)],
    { cwd: dir, encoding: "utf8", env: { ...process.env, FUNCTRACE: "", NODE_OPTIONS: "" }, timeout: 120_000 },
  );
  const summary = JSON.parse(readFileSync(join(dir, "coverage", "coverage-summary.json"), "utf8")) as { total: Totals };
  return { status: r.status, totals: summary.total, output: r.stdout + r.stderr };
}

beforeAll(() => {
  if (!existsSync(join(root, "dist", "cjs", "index.js"))) throw new Error("dist/ is missing: run `npm run build` first");
  dir = mkdtempSync(join(tmpdir(), "functrace-coverage-"));
  const pkg = join(dir, "node_modules", "functrace");
  mkdirSync(pkg, { recursive: true });
  cpSync(join(root, "dist"), join(pkg, "dist"), { recursive: true });
  cpSync(join(root, "package.json"), join(pkg, "package.json"));
  const threshold = { lines: 100, statements: 100, functions: 100, branches: 100 };
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "cov", jest: { testEnvironment: "node", collectCoverageFrom: ["src/**/*.js"], coverageThreshold: { global: threshold } } }));
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "test"));
  writeFileSync(join(dir, "src", "lib.js"), SOURCE);
  writeFileSync(join(dir, "test", "lib.test.js"), TEST);
});

afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe("coverage of instrumented code", () => {
  it("should keep a 100 % threshold passing, with the same totals, under Jest's babel and v8 providers", () => {
    const before = { babel: jest("babel"), v8: jest("v8") };
    const quiet = { cwd: dir, stdout: () => {}, stderr: () => {}, isTTY: false };
    expect(main(["-w", "src"], quiet)).toBe(0);
    expect(readFileSync(join(dir, "src", "lib.js"), "utf8")).toContain("/* istanbul ignore next */");
    const after = { babel: jest("babel"), v8: jest("v8") };
    for (const provider of ["babel", "v8"] as const) {
      expect({ provider, status: before[provider].status, output: before[provider].status === 0 ? "" : before[provider].output }).toEqual({ provider, status: 0, output: "" });
      expect({ provider, status: after[provider].status, output: after[provider].status === 0 ? "" : after[provider].output }).toEqual({ provider, status: 0, output: "" });
      for (const k of ["lines", "statements", "functions", "branches"] as const) expect({ provider, k, pct: after[provider].totals[k].pct }).toEqual({ provider, k, pct: 100 });
    }
    // Exactly the same counts where the injected code adds nothing countable.
    expect(after.babel.totals.functions).toEqual(before.babel.totals.functions);
    expect(after.babel.totals.branches).toEqual(before.babel.totals.branches);
    expect(after.v8.totals.lines).toEqual(before.v8.totals.lines);
    expect(after.v8.totals.functions).toEqual(before.v8.totals.functions);
    console.log(`coverage totals before/after: ${JSON.stringify({ before: { babel: before.babel.totals, v8: before.v8.totals }, after: { babel: after.babel.totals, v8: after.v8.totals } })}`);
  });
});
