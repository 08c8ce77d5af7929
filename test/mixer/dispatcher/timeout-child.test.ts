import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";

test("a per-call timeout fires in an otherwise idle process (the await returns, exit 0)", () => {
  const out = join(mkdtempSync(join(tmpdir(), "mixer-timeout-")), "hanging-check.cjs");
  buildSync({ entryPoints: [join(__dirname, "fixtures", "hanging-check.ts")], bundle: true, platform: "node", format: "cjs", outfile: out, logLevel: "silent" });
  const r = spawnSync(process.execPath, [out], { encoding: "utf8", timeout: 20_000 });
  expect(r.status).toBe(0);
  // Before: the process exited 0 with no output, the timeout timer being unref'd.
  expect(r.stdout).toMatch(/^after await \d+ ms: checknothing:h\.handler\.istio-system\(hanging\): no response within 300 ms\n$/);
  const ms = Number(/after await (\d+) ms/.exec(r.stdout)![1]);
  expect(ms).toBeGreaterThanOrEqual(290);
});
