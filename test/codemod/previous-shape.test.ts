import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { removeInstrumentation } from "../../src/codemod/index.js";

/** Code instrumented by the previous version (`const __ft_t = __ft.enter(...)` before the `try`) still comes out byte-identical. */
describe("--remove on text written by the previous version", () => {
  const root = join(__dirname, "../fixtures/codemod-previous");
  // The originals are the current golden fixtures' inputs; only the old instrumented texts are kept here.
  const inputs = join(__dirname, "../fixtures/codemod");
  for (const name of readdirSync(root)) {
    it(`restores ${name} exactly`, () => {
      const files = readdirSync(join(root, name));
      const instrumented = files.find((f) => f.startsWith("instrumented."))!;
      const input = readdirSync(join(inputs, name)).find((f) => f.startsWith("input."))!;
      const text = readFileSync(join(root, name, instrumented), "utf8");
      expect(text).toContain("const __ft_t = __ft.enter(");
      expect(removeInstrumentation(text, join(root, name, instrumented))).toBe(readFileSync(join(inputs, name, input), "utf8"));
    });
  }
});
