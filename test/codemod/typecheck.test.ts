import ts from "typescript";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { instrumentFixture, listFixtures, FIXTURES } from "./fixtures.js";
import { instrumentText } from "../../src/codemod/instrument.js";

// "TypeScript keeps its types": the instrumented fixtures must give exactly the diagnostics the
// originals give (same code, same line), with `functrace` resolved to the runtime's typed API.
const root = join(__dirname, "..", "..");
const tsFixtures = listFixtures().filter((f) => /\.[cm]?tsx?$/.test(f.ext));

function diagnostics(texts: Map<string, string>): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    jsx: ts.JsxEmit.React,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: ["node"],
    baseUrl: root,
    paths: { functrace: ["src/trace/generated-api.ts"] },
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError) => {
    const text = texts.get(name);
    return text !== undefined ? ts.createSourceFile(name, text, lang) : getSourceFile(name, lang, onError);
  };
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => texts.get(name) ?? readFile(name);
  host.fileExists = ((orig) => (name: string) => texts.has(name) || orig(name))(host.fileExists.bind(host));
  const program = ts.createProgram([...texts.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && texts.has(d.file.fileName))
    .map((d) => `${relative(FIXTURES, d.file!.fileName)}:${d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1} TS${d.code}`)
    .sort();
}

describe("instrumented TypeScript", () => {
  it("should type-check exactly like the original (same diagnostics, same lines)", () => {
    const originals = new Map(tsFixtures.map((f) => [f.inputPath.replace(/\\/g, "/"), f.input]));
    const instrumented = new Map(tsFixtures.map((f) => [f.inputPath.replace(/\\/g, "/"), instrumentFixture(f).text]));
    const before = diagnostics(originals);
    expect(diagnostics(instrumented)).toEqual(before);
  });
});

describe("instrumented real TypeScript sources (strict)", () => {
  it("should type-check the codemod's and the mixer's own sources exactly like the originals", () => {
    const files = ["src/codemod", "src/mixer"].flatMap((dir) =>
      (readdirSync(join(root, dir), { recursive: true }) as string[]).filter((f) => f.endsWith(".ts")).map((f) => join(root, dir, f).replace(/\\/g, "/")),
    );
    const originals = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));
    const instrumented = new Map(files.map((f) => [f, instrumentText(originals.get(f) as string, { fileName: f, displayPath: relative(root, f) }).text]));
    expect([...instrumented].filter(([f, text]) => text !== originals.get(f)).length).toBeGreaterThan(100);
    expect(diagnostics(instrumented)).toEqual(diagnostics(originals));
  });
});
