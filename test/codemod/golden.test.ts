import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { instrumentFixture, listFixtures } from "./fixtures.js";

// UPDATE_GOLDEN=1 npx jest test/codemod/golden.test.ts rewrites the expected files; review the diff.
const update = process.env.UPDATE_GOLDEN === "1";

describe("instrumentText golden fixtures", () => {
  it.each(listFixtures().map((f) => [f.name, f] as const))("should match expected output for %s", (_name, fixture) => {
    const out = instrumentFixture(fixture).text;
    if (update || !existsSync(fixture.expectedPath)) writeFileSync(fixture.expectedPath, out);
    expect(out).toBe(readFileSync(fixture.expectedPath, "utf8"));
  });
});
