import ts from "typescript";
import { cpSync, existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as functrace from "../../src/trace/index.js";
import { useMemorySink } from "../helpers/trace-harness.js";

// functrace's published declarations, type-checked as a consumer sees them (skipLibCheck off):
// without @types/node, with it, and with legacy decorators (NestJS, TypeORM).
const root = join(__dirname, "..", "..");
let dir: string;

const CONSUMER = `import cls, { trace, traced, createNamespace, getNamespaces, reset, ERROR_SYMBOL, configure, __ft, type SpanEnd } from "functrace";
const ns = createNamespace<{ user: string }>("request");
ns.run(() => ns.set("user", "ann"));
const names: string[] = Object.keys(getNamespaces());
cls.reset();
reset();
const key: string = ERROR_SYMBOL;
const add = traced(function add(a: number, b: number) { return a + b; });
const sum: number = add(1, 2);
const end: SpanEnd = trace("x");
end();
configure({});
export class Repo {
  @traced save(): number { return 1; }
  @traced("repo.load") load(): number { return 2; }
  @traced get size(): number { return 3; }
}
void [names, key, sum, __ft];
`;

function check(options: ts.CompilerOptions): string[] {
  const program = ts.createProgram([join(dir, "index.ts")], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    skipLibCheck: false,
    typeRoots: [join(root, "node_modules", "@types")],
    ...options,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName.replace(dir, "") ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
}

beforeAll(() => {
  if (!existsSync(join(root, "dist", "cjs", "index.d.ts"))) throw new Error("dist/ is missing: run `npm run build` first");
  dir = mkdtempSync(join(tmpdir(), "functrace-consumer-"));
  const pkg = join(dir, "node_modules", "functrace");
  mkdirSync(pkg, { recursive: true });
  cpSync(join(root, "dist"), join(pkg, "dist"), { recursive: true });
  cpSync(join(root, "package.json"), join(pkg, "package.json"));
  writeFileSync(join(dir, "package.json"), '{ "name": "consumer", "type": "module" }\n');
  writeFileSync(join(dir, "index.ts"), CONSUMER);
});

afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe("the public declarations in a consumer project", () => {
  it("should type-check without @types/node and without the esnext.disposable lib", () => {
    expect(check({ lib: ["lib.es2022.d.ts"], types: [] })).toEqual([]);
  });

  it("should type-check with @types/node and esnext libs (the compat declarations merge)", () => {
    expect(check({ lib: ["lib.esnext.d.ts"], types: ["node"] })).toEqual([]);
  });

  it("should type-check @traced under experimentalDecorators", () => {
    expect(check({ lib: ["lib.es2022.d.ts"], types: [], experimentalDecorators: true })).toEqual([]);
  });
});

describe("@traced under experimentalDecorators at run time", () => {
  const box = useMemorySink();

  it("should trace legacy-decorated methods, getters and static methods, keeping their behaviour", () => {
    const source = `
      class Repo {
        constructor() { this.n = 2; }
        @traced save(x) { return x * this.n; }
        @traced("repo.custom") load() { return "loaded"; }
        @traced get size() { return this.n; }
        @traced static make() { return new Repo(); }
      }
      exports.Repo = Repo;`;
    const js = ts.transpileModule(source, { compilerOptions: { experimentalDecorators: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, allowJs: true }, fileName: "repo.ts" }).outputText;
    const exports: { Repo?: any } = {};
    new Function("exports", "traced", "require", js)(exports, functrace.traced, () => functrace);
    const repo = exports.Repo.make();
    expect([repo.save(21), repo.load(), repo.size, exports.Repo.prototype.save.name, exports.Repo.prototype.save.length]).toEqual([42, "loaded", 2, "save", 1]);
    expect(box.sink.lines().filter((l) => l.includes("->"))).toEqual([
      "g[01]:    ->Repo.make",
      "g[02]:    ->Repo.save",
      "g[03]:    ->repo.custom",
      "g[04]:    ->Repo.get size",
    ]);
  });

  it("should cope with name and length getters that throw", () => {
    const fn = function (a: number) {
      return a + 1;
    };
    Object.defineProperty(fn, "name", { get: () => { throw new Error("name"); } });
    Object.defineProperty(fn, "length", { get: () => { throw new Error("length"); } });
    const wrapped = functrace.traced(fn);
    expect(wrapped(1)).toBe(2);
    expect(() => wrapped.name).toThrow("name");
    expect(() => wrapped.length).toThrow("length");
  });
});
