import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { instrumentText, type InstrumentResult } from "../../src/codemod/instrument.js";

/** Folder of the codemod golden fixtures: `<case>/input.<ext>` → `<case>/expected.<ext>`. */
export const FIXTURES = join(__dirname, "..", "fixtures", "codemod");

/** One golden fixture. */
export interface Fixture {
  name: string;
  ext: string;
  inputPath: string;
  expectedPath: string;
  input: string;
}

/** Every fixture, sorted by name. */
export function listFixtures(): Fixture[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const input = readdirSync(join(FIXTURES, d.name)).find((f) => f.startsWith("input."));
      if (!input) throw new Error(`fixture ${d.name} has no input.* file`);
      const ext = input.slice("input".length);
      return {
        name: d.name,
        ext,
        inputPath: join(FIXTURES, d.name, input),
        expectedPath: join(FIXTURES, d.name, `expected${ext}`),
        input: readFileSync(join(FIXTURES, d.name, input), "utf8"),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Instrument a fixture the way the golden files were made. */
export function instrumentFixture(f: Fixture, text = f.input): InstrumentResult {
  const fileName = `${f.name}/input${f.ext}`;
  return instrumentText(text, { fileName, displayPath: fileName, moduleName: f.name });
}
