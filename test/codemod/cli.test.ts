import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { main } from "../../src/codemod/cli.js";

interface Run {
  code: number;
  out: string;
  err: string;
}

let dir: string;

function cli(...args: string[]): Run {
  let out = "";
  let err = "";
  const code = main(args, { cwd: dir, stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false });
  return { code, out, err };
}

function put(rel: string, text: string): void {
  mkdirSync(join(dir, rel, ".."), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

const read = (rel: string) => readFileSync(join(dir, rel), "utf8");
const A = "export const f = (a: number) => a + 1;\n";
const B = '"use strict";\nmodule.exports = function (x) {\n  return x;\n};\n';
const BAD = "function (\n";

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "functrace-gen-"));
  execFileSync("git", ["init", "-q", dir]);
  put(".gitignore", "gen/\n");
  put("src/a.ts", A);
  put("src/sub/b.js", B);
  put("src/types.d.ts", "export declare function d(): void;\n");
  put("gen/g.js", "function g() {}\n");
  put("node_modules/x/n.js", "function n() {}\n");
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("functrace-gen", () => {
  describe("stdout mode", () => {
    it("should print one rewritten file and leave it untouched", () => {
      const r = cli("src/a.ts");
      expect(r.code).toBe(0);
      expect(r.out).toContain('import { __ft } from "functrace"; export const f = (a: number) => { /* istanbul ignore next */ let __ft_t = __ft.NOOP; try { /* istanbul ignore next */ __ft_t = __ft.enter("a.f", "src/a.ts", 1);');
      expect(read("src/a.ts")).toBe(A);
    });

    it("should refuse several files with a usage error", () => {
      expect(cli("src").code).toBe(2);
    });
  });

  describe("-w", () => {
    it("should rewrite the tree, skipping node_modules, .d.ts and git-ignored files", () => {
      const r = cli("-w", ".");
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/2 files: 2 changed, 0 unchanged, 0 skipped, 0 failed; 2 functions instrumented/);
      expect(read("src/sub/b.js")).toContain('"use strict"; var __ft = require("functrace").__ft;');
      expect(read("gen/g.js")).toBe("function g() {}\n");
      expect(read("node_modules/x/n.js")).toBe("function n() {}\n");
      expect(readdirSync(join(dir, "src")).filter((n) => n.includes(".tmp"))).toEqual([]);
    });

    it("should change nothing on a second run, and --remove should restore the original bytes", () => {
      cli("-w", "src");
      expect(cli("-w", "src").out).toMatch(/0 changed, 2 unchanged/);
      expect(cli("--remove", "-w", "src").code).toBe(0);
      expect(read("src/a.ts")).toBe(A);
      expect(read("src/sub/b.js")).toBe(B);
    });

    it("should report a file that does not parse as path:line:col, leave it byte-for-byte and still do the others", () => {
      put("src/bad.js", BAD);
      const r = cli("-w", "src");
      expect(r.code).toBe(1);
      expect(r.out).toContain("src/bad.js:1:10: Identifier expected.");
      expect(read("src/bad.js")).toBe(BAD);
      expect(read("src/a.ts")).not.toBe(A);
    });

    it("should honour --include, --exclude and --import-from", () => {
      expect(cli("-w", "--exclude", "**/*.js", "--import-from", "@me/ft", "src").code).toBe(0);
      expect(read("src/a.ts")).toContain('import { __ft } from "@me/ft";');
      expect(read("src/sub/b.js")).toBe(B);
      cli("--remove", "-w", "src");
      expect(cli("-w", "--include", "sub/**", "src").out).toMatch(/1 file: 1 changed/);
      expect(read("src/a.ts")).toBe(A);
    });

    it("should skip files with functrace-ignore-file and say why", () => {
      put("src/c.ts", "// functrace-ignore-file\nexport function c() {}\n");
      const r = cli("-w", "src");
      expect(r.out).toContain("skipped file src/c.ts: functrace-ignore-file");
      expect(read("src/c.ts")).toBe("// functrace-ignore-file\nexport function c() {}\n");
    });

    it("should use import in JavaScript of a type:module package", () => {
      put("esm/package.json", '{ "type": "module" }');
      put("esm/m.js", "function m() {}\n");
      cli("-w", "esm");
      expect(read("esm/m.js")).toMatch(/^import \{ __ft \} from "functrace"; /);
    });

    it("should never instrument the functrace package itself", () => {
      put("rt/package.json", '{ "name": "functrace" }');
      put("rt/x.js", "function x() {}\n");
      expect(cli("-w", "rt").out).toContain("skipped file rt/x.js: functrace runtime");
      expect(read("rt/x.js")).toBe("function x() {}\n");
    });
  });

  describe("--jobs", () => {
    it("should give the same files and summary whatever the number of threads", () => {
      const one = cli("-w", "--jobs", "1", "src");
      const a = read("src/a.ts");
      const b = read("src/sub/b.js");
      expect(cli("--remove", "-w", "src").code).toBe(0);
      const two = cli("-w", "--jobs", "2", "src");
      expect([two.code, read("src/a.ts"), read("src/sub/b.js")]).toEqual([one.code, a, b]);
      expect(two.out.replace(/\(.*\)/, "")).toBe(one.out.replace(/\(.*\)/, ""));
    });

    it("should refuse a number of threads that is not a whole number of 1 or more", () => {
      expect(cli("--jobs", "0", "-w", "src").code).toBe(2);
      expect(cli("--jobs", "two", "-w", "src").code).toBe(2);
      expect(read("src/a.ts")).toBe(A);
    });
  });

  describe("--check, --diff, --dry-run", () => {
    it("should exit 1 listing files that would change, and 0 once instrumented", () => {
      const r = cli("--check", "src");
      expect(r.code).toBe(1);
      expect(r.out).toContain("src/a.ts: would change");
      cli("-w", "src");
      expect(cli("--check", "src").code).toBe(0);
    });

    it("should print a unified diff and write nothing", () => {
      const r = cli("--diff", "src/sub");
      expect(r.out).toContain("--- a/src/sub/b.js\n+++ b/src/sub/b.js");
      expect(r.out).toContain('+"use strict"; var __ft = require("functrace").__ft;');
      expect(read("src/sub/b.js")).toBe(B);
    });

    it("should only summarise with --dry-run", () => {
      const r = cli("--dry-run", "-w", "src");
      expect(r.out).toMatch(/2 would change, 0 unchanged, 0 skipped, 0 failed; 2 functions would be instrumented/);
      expect(read("src/a.ts")).toBe(A);
    });
  });

  describe("summary", () => {
    it("should count what --remove takes out, and give the elapsed time", () => {
      cli("-w", "src");
      const r = cli("--remove", "-w", "src");
      expect(r.out).toMatch(/2 files: 2 cleaned, 0 unchanged, 0 skipped, 0 failed; 2 functions uninstrumented, 0 skipped \(\d+\.\d\d s\)/);
    });

    it("should say 'would change' under --check and --diff, where nothing is written", () => {
      expect(cli("--check", "src").out).toMatch(/2 would change.*2 functions would be instrumented/);
      expect(cli("--diff", "src").err).toMatch(/2 would change/);
    });

    it("should give every function without a body one wording", () => {
      put("src/o.ts", "export function o(a: string): void;\nexport function o(a: unknown) {}\nexport declare function p(): void;\nexport abstract class A { abstract m(): void; }\n");
      const lines = cli("--dry-run", "src/o.ts").out.split("\n").filter((l) => l.includes("skipped 3 functions"));
      expect(lines).toEqual(["  skipped 3 functions: no body (overload, abstract or declare)"]);
    });
  });

  describe("files and paths", () => {
    it("should match globs as .gitignore does, relative to the folder given", () => {
      put("src/deep/er/c.ts", "export const c = () => 1;\n");
      expect(cli("--dry-run", "--include", "*.ts", "src").out).toMatch(/^functrace-gen: 2 files/);
      expect(cli("--dry-run", "--include", "deep/", "src").out).toMatch(/^functrace-gen: 1 file:/);
      expect(cli("--dry-run", "--exclude", "er/", "--exclude", "sub", "src").out).toMatch(/^functrace-gen: 1 file:/);
    });

    it("should bake in paths relative to the nearest package.json, wherever it runs from", () => {
      put("pkg/package.json", '{ "name": "pkg" }');
      put("pkg/src/m.ts", "export function m() {}\n");
      cli("-w", "pkg/src");
      expect(read("pkg/src/m.ts")).toContain('__ft.enter("m.m", "src/m.ts", 1)');
    });

    it("should leave tests, benchmarks, fixtures and docs out of a package root unless told otherwise", () => {
      put("pkg/package.json", '{ "name": "pkg" }');
      for (const f of ["src/m.ts", "test/m.test.ts", "src/m.spec.ts", "bench/b.js", "test/fixtures/f.js", "docs/d.js", "examples/e.js"]) put(`pkg/${f}`, "function x() {}\n");
      expect(cli("--dry-run", "pkg").out).toMatch(/^functrace-gen: 1 file:/);
      expect(cli("--dry-run", "--no-default-excludes", "pkg").out).toMatch(/^functrace-gen: 7 files:/);
      expect(cli("--dry-run", "pkg/test").out).toMatch(/^functrace-gen: 2 files:/);
    });

    it("should parse sloppy-mode scripts (legacy octal literals and escapes) as scripts", () => {
      put("src/old.js", 'var mode = 0644;\nvar s = "\\101";\nfunction f() { return mode + s; }\nmodule.exports = f;\n');
      const r = cli("src/old.js");
      expect(r.code).toBe(0);
      expect(r.out).toContain("var mode = 0644;");
      put("src/strict.js", '"use strict";\nvar mode = 0644;\n');
      expect(cli("src/strict.js").code).toBe(1);
    });
  });

  describe("usage errors", () => {
    it("should refuse contradictory flags with exit 2 and write nothing", () => {
      const r = cli("-w", "--check", "--remove", "src");
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/cannot be used with/);
      expect(read("src/a.ts")).toBe(A);
      expect(cli("--dry-run", "--diff", "src").code).toBe(2);
    });

    it("should print its version and examples in --help", () => {
      let out = "";
      const io = { cwd: dir, stdout: (t: string) => (out += t), stderr: (t: string) => (out += t), isTTY: false, version: "9.8.7" };
      expect(main(["--version"], io)).toBe(0);
      expect(out.trim()).toBe("9.8.7");
      out = "";
      expect(main(["--help"], io)).toBe(0);
      expect(out).toContain("Examples:");
      expect(out).toContain("functrace-gen -w src/");
    });

    it("should name the missing TypeScript peer with a one-liner (bin/functrace-gen.js)", () => {
      const bin = readFileSync(join(__dirname, "..", "..", "bin", "functrace-gen.js"), "utf8");
      expect(bin).toContain("npx -p functrace -p typescript functrace-gen -w src/");
    });

    it("should exit 2 for no paths, a missing path, or an unknown option", () => {
      expect(cli().code).toBe(2);
      expect(cli("nope").err).toContain("no such file or directory: nope");
      expect(cli("nope").code).toBe(2);
      expect(cli("--bogus", "src").code).toBe(2);
    });
  });
});
