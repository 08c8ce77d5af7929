import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES, requireDist, ROOT, tempDir } from "./helpers";

beforeAll(requireDist);

test("functrace/vite: a Vitest suite is traced through the plugin, TypeScript handled by Vite after it", () => {
  const dir = tempDir("vitest");
  const tree = join(dir, "tree.txt");
  const args = [join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run", "--config", join(FIXTURES, "vitest-app", "vitest.config.mjs")];
  const env = { ...process.env, FUNCTRACE: "on", FUNCTRACE_OUTPUT: tree, FUNCTRACE_COLOR: "never", NO_COLOR: "1", CI: "1" };
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: "utf8", timeout: 120_000 });
  expect(r.stdout).toMatch(/Tests\s+2 passed/);
  expect(r.status).toBe(0);
  const lines = readFileSync(tree, "utf8").split("\n");
  rmSync(dir, { recursive: true, force: true });
  expect(lines).toEqual(
    expect.arrayContaining([
      "g[01]:    ->cart.spec.<anonymous>@6",
      "g[01]:            ->cart.Cart.total.<anonymous>@15",
      "g[02]:        ->cart.Cart.checkout",
      "g[02]:            ->cart.spec.pay",
      "g[02]:        <-cart.Cart.checkout",
    ]),
  );
  expect(lines.join("\n")).not.toContain("Cart.clear");
});
