import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { instrumentText } from "../../src/codemod/instrument.js";
import { removeInstrumentation } from "../../src/codemod/remove.js";
import { instrumentFixture, listFixtures } from "./fixtures.js";

const fixtures = listFixtures();

// Real-world packages (installed as dev dependencies): every .js file of semver, a sample of the others.
function packageFiles(): string[] {
  const root = join(__dirname, "..", "..", "node_modules");
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : /\.(c|m)?js$/.test(e.name) ? [join(dir, e.name)] : []));
  return [
    ...walk(join(root, "semver")),
    join(root, "marked", "lib", "marked.esm.js"),
    join(root, "marked", "lib", "marked.umd.js"),
    join(root, "async", "dist", "async.mjs"),
    join(root, "async", "dist", "async.js"),
    ...walk(join(root, "mnemonist")).filter((f) => !f.includes("/utils/")).slice(0, 30),
  ];
}

describe("instrumentText round trip", () => {
  describe("fixtures", () => {
    it.each(fixtures.map((f) => [f.name, f] as const))("should be idempotent and reversible for %s", (_n, f) => {
      const once = instrumentFixture(f).text;
      expect(instrumentFixture(f, once).text).toBe(once);
      expect(removeInstrumentation(once, f.inputPath)).toBe(f.input);
    });
  });

  describe("real-world packages", () => {
    it("should be idempotent, reversible and line-preserving over semver, marked, async and mnemonist", () => {
      const failures: string[] = [];
      let functions = 0;
      for (const file of packageFiles()) {
        const text = readFileSync(file, "utf8");
        const r = instrumentText(text, { fileName: file.replace(/.*node_modules\//, "") });
        functions += r.functions;
        if (instrumentText(r.text, { fileName: file }).text !== r.text) failures.push(`${file}: not idempotent`);
        if (removeInstrumentation(r.text, file) !== text) failures.push(`${file}: not reversible`);
        if (r.text.split("\n").length !== text.split("\n").length) failures.push(`${file}: line count changed`);
      }
      expect(failures).toEqual([]);
      expect(functions).toBeGreaterThan(1000);
    });
  });

  describe("removeInstrumentation", () => {
    it("should return text without the runtime import unchanged", () => {
      const text = "function f() { return 1; }\n";
      expect(removeInstrumentation(text, "a.js")).toBe(text);
    });

    it("should refuse, naming file and line, when injected code was edited", () => {
      const once = instrumentText("export function f() {\n  return 1;\n}\n", { fileName: "a.ts" }).text;
      const edited = once.replace("{ __ft.exit(__ft_t); }", "{ __ft.exit(__ft_t); console.log(1); }");
      expect(() => removeInstrumentation(edited, "a.ts")).toThrow(/^a\.ts:3:1: cannot remove a function tail/);
    });
  });
});
