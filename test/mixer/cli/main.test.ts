import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../../src/mixer/cli/main";

const CFG = "test/fixtures/mixer/basic";

describe("functrace-mixer", () => {
  describe("validate", () => {
    it("should accept a valid folder", async () => {
      expect(await runCli(["validate", CFG])).toEqual({ stdout: "OK: 9 document(s); 3 handler(s), 3 instance(s), 3 rule(s)\n", stderr: "", code: 0 });
    });

    it("should list every located problem and exit 1", async () => {
      const dir = mkdtempSync(join(tmpdir(), "mixc-"));
      writeFileSync(join(dir, "bad.yaml"), "kind: rule\nmetadata: {name: r}\nspec:\n  match: span.nme == \"x\"\n  actions: [{handler: h, instances: [i]}]\n");
      const r = await runCli(["validate", dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("bad.yaml#1:4 rule='r.rule.istio-system'.match: unknown attribute span.nme");
      expect(r.stderr).toContain("Handler not found: handler='h'");
      expect(r.stderr).toContain("3 problem(s) found");
    });
  });

  describe("eval", () => {
    it("should print value, type and referenced attributes", async () => {
      const r = await runCli(["eval", 'span.name | "none"', "--attributes", '{"span.name": "f"}']);
      expect([r.code, JSON.parse(r.stdout)]).toEqual([0, { value: "f", type: "STRING", referencedAttributes: ["span.name"] }]);
    });

    it("should use --manifest attributes and read attributes from a file", async () => {
      const dir = mkdtempSync(join(tmpdir(), "mixc-"));
      writeFileSync(join(dir, "m.yaml"), "kind: attributemanifest\nmetadata: {name: m}\nspec:\n  attributes:\n    my.size: {valueType: INT64}\n");
      writeFileSync(join(dir, "a.json"), '{"my.size": 41}');
      const r = await runCli(["eval", "my.size + 1", "--attributes", join(dir, "a.json"), "--manifest", join(dir, "m.yaml")]);
      expect(JSON.parse(r.stdout)).toEqual({ value: 42, type: "INT64", referencedAttributes: ["my.size"] });
    });

    it.each([
      [["eval", "nope.attr", "--attributes", "{}"], 1, "unknown attribute nope.attr"],
      [["eval", "span.name", "--attributes", "{}"], 1, "lookup failed: 'span.name'"],
      [["eval", "span.name", "--attributes", "{bad"], 2, "invalid JSON"],
      [["eval", "span.name", "--attributes", "missing.json"], 2, "file not found: missing.json"],
      [["eval", "span.name", "--attributes", '{"zz.top": 1}'], 2, "unknown attribute 'zz.top'"],
      [["eval", "span.name"], 2, "required option '--attributes <json|file>' not specified"],
      [["frobnicate"], 2, "unknown command 'frobnicate'"],
    ])("should fail clearly for %j", async (argv, code, message) => {
      const r = await runCli(argv as string[]);
      expect([r.code, r.stdout]).toEqual([code, ""]);
      expect(r.stderr).toContain(message);
    });
  });

  describe("report, check, quota", () => {
    it("should print what adapters received on report", async () => {
      const r = await runCli(["report", "--config", CFG, "--attributes", '{"span.name": "svc.get", "span.error": true}']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({
        calls: [
          {
            handler: "console.handler.istio-system",
            adapter: "noop",
            verb: "report",
            template: "metric",
            instances: [{ name: "calls.instance.istio-system", value: 1, dimensions: { function: "svc.get", error: true, module: "unknown" }, monitoredResourceType: "", monitoredResourceDimensions: {} }],
          },
        ],
        errors: [],
      });
    });

    it("should print the combined check result", async () => {
      const r = await runCli(["check", "--config", CFG, "--attributes", '{"span.name": "admin.drop"}']);
      const out = JSON.parse(r.stdout);
      expect(out.result).toEqual({ status: { code: 7, message: "deny-all.handler.istio-system:not allowed" }, validDurationMs: 10000, validUseCount: 1000, referencedAttributes: ["span.name"] });
      expect(out.calls[0]).toMatchObject({ handler: "deny-all.handler.istio-system", verb: "check", template: "checknothing" });
    });

    it("should allocate quota and require --quota", async () => {
      const r = await runCli(["quota", "--config", CFG, "--attributes", '{"span.name": "f"}', "--quota", "requestcount", "--amount", "3", "--best-effort"]);
      expect(JSON.parse(r.stdout).result).toMatchObject({ amount: 2, validDurationMs: 1000 });
      expect((await runCli(["quota", "--config", CFG, "--attributes", "{}"])).code).toBe(2);
    });

    it("should exit 1 on config errors", async () => {
      const r = await runCli(["report", "--config", "test/fixtures/mixer/nope", "--attributes", "{}"]);
      expect([r.code, r.stderr]).toEqual([1, expect.stringContaining("cannot read config")]);
    });
  });
});
