import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

// `npm run demo:service` (examples/service/run.mjs) on the built package: instrument a copy
// with functrace-gen, load it, serve /metrics from the bridge's default config, write Chrome.
const run = promisify(execFile);
const root = join(__dirname, "../..");
jest.setTimeout(60_000);

describe("demo:service", () => {
  it("instruments the service, serves its metrics and finishes by itself", async () => {
    if (!existsSync(join(root, "dist/esm/mixer-bridge/index.js"))) throw new Error("dist/ is missing: run `npm run build` first");
    const cwd = mkdtempSync(join(tmpdir(), "ft-demo-service-"));
    try {
      const started = Date.now();
      const { stdout } = await run(process.execPath, [join(root, "examples/service/run.mjs"), "--requests", "90", "--port", "0"], { cwd, env: { ...process.env, FUNCTRACE: "", FUNCTRACE_OUTPUT: "" }, timeout: 45_000 });
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(stdout).toMatch(/functrace-gen: 3 files: 3 changed.*19 functions instrumented/);
      expect(stdout).toMatch(/== load: 90 requests/);
      expect(stdout).toMatch(/functrace_calls_total\{function="orders\.getOrder",outcome="ok"\} \d+/);
      expect(stdout).toMatch(/functrace_call_duration_seconds_bucket\{.*\} \d+ # \{trace_id="[0-9a-f]{32}"\}/);
      expect(stdout).toMatch(/g\[\d+\]: +->orders\.checkout/);
      expect(stdout).toMatch(/== exporters: mixer \d+ spans, 0 dropped; chrome \d+ spans, 0 dropped/);
      const chrome = JSON.parse(readFileSync(join(cwd, "functrace-service.trace.json"), "utf8")) as unknown;
      expect(Array.isArray(chrome) || typeof chrome === "object").toBe(true);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
