import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES, requireDist, ROOT, tempDir } from "./helpers";

const CONFIG = join(FIXTURES, "jest-app", "jest.config.js");
const JEST = join(ROOT, "node_modules", "jest", "bin", "jest.js");

interface FileCoverage {
  statementMap: Record<string, { start: { line: number } }>;
  s: Record<string, number>;
}

/** Runs the fixture suite in a child Jest with coverage; returns its tree and per-line hit counts of src/cart.ts. */
function runSuite(plain: boolean) {
  const dir = tempDir("jest");
  const env = { ...process.env, FUNCTRACE: "on", FUNCTRACE_OUTPUT: join(dir, "tree.txt"), FUNCTRACE_COLOR: "never", FUNCTRACE_JEST_PLAIN: plain ? "1" : "" };
  const args = [JEST, "--config", CONFIG, "--runInBand", "--cacheDirectory", join(dir, "cache"), "--coverage", "--coverageReporters=json", `--coverageDirectory=${join(dir, "cov")}`];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: "utf8", timeout: 120_000 });
  const coverage = JSON.parse(readFileSync(join(dir, "cov", "coverage-final.json"), "utf8")) as Record<string, FileCoverage>;
  const cart = coverage[join(FIXTURES, "jest-app", "src", "cart.ts")];
  const lines = new Map<number, number>();
  for (const [id, loc] of Object.entries(cart.statementMap)) lines.set(loc.start.line, Math.max(lines.get(loc.start.line) ?? 0, cart.s[id]));
  let tree = "";
  try {
    tree = readFileSync(join(dir, "tree.txt"), "utf8");
  } catch {
    // no tree written
  }
  rmSync(dir, { recursive: true, force: true });
  return { status: r.status, stderr: r.stderr, tree, lines };
}

beforeAll(requireDist);

test("functrace/jest: a Jest suite on ts-jest is traced, and line coverage keeps every line's status", () => {
  const traced = runSuite(false);
  expect(traced.stderr).toContain("Tests:       2 passed, 2 total");
  expect(traced.status).toBe(0);
  expect(traced.tree.split("\n")).toEqual(
    expect.arrayContaining([
      "g[01]:    ->cart.spec.<anonymous>@5",
      "g[01]:        ->cart.Cart.total",
      "g[01]:            ->cart.Cart.total.<anonymous>@15",
      "g[02]:        ->cart.Cart.checkout",
      "g[02]:            ->cart.spec.pay",
      "g[02]:        <-cart.Cart.checkout",
    ]),
  );
  expect(traced.tree).not.toContain("Cart.clear"); // never called

  const plain = runSuite(true);
  expect(plain.status).toBe(0);
  expect(plain.tree).toBe("");
  // Every line ts-jest alone reports keeps its covered/uncovered status: clear() stays uncovered.
  for (const [line, hits] of plain.lines) expect([line, (traced.lines.get(line) ?? -1) > 0]).toEqual([line, hits > 0]);
  expect(plain.lines.get(24)).toBe(0);
  expect(traced.lines.get(24)).toBe(0);
});
