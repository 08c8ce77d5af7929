import { readdirSync, rmSync } from "node:fs";
import { instrumentText } from "../../src/codemod/index";
import { Instrumenter, requireStyle, type InstrumentFn } from "../../src/register/instrumenter";
import { DEFAULT_INCLUDE, settingsFromEnv } from "../../src/register/options";
import { tempDir } from "./helpers";

const CWD = "/app";
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(version = "1.0.0", cacheDir?: string) {
  const calls: string[] = [];
  const reports: string[] = [];
  const codemod: InstrumentFn = (text, options) => {
    calls.push(options.fileName);
    return instrumentText(text, options);
  };
  const dir = cacheDir ?? tempDir("unit");
  dirs.push(dir);
  const settings = { cwd: CWD, include: DEFAULT_INCLUDE, exclude: ["**/skip/**"], cacheDir: dir, importFrom: "functrace", log: false };
  return { calls, reports, dir, it: new Instrumenter(settings, version, () => codemod, "/pkg/functrace", (m) => reports.push(m)) };
}

test("files: under cwd, not node_modules, not excluded, not functrace's own", () => {
  const { it } = setup();
  expect(it.accepts("/app/src/a.ts")).toBe(true);
  expect(it.accepts("/app/a.mjs")).toBe(true);
  expect(it.accepts("/app/node_modules/x/a.js")).toBe(false);
  expect(it.accepts("/app/src/skip/a.js")).toBe(false);
  expect(it.accepts("/app/types.d.ts")).toBe(false);
  expect(it.accepts("/elsewhere/a.js")).toBe(false);
  expect(it.accepts("/app/data.json")).toBe(false);
  expect(it.accepts("/pkg/functrace/dist/esm/index.js")).toBe(false);
});

test("the cache is keyed by content and version: unchanged files are not parsed again", () => {
  const first = setup("1.0.0");
  const text = "export function f() {\n  return 1;\n}\n";
  const a = first.it.transform({ text, file: "/app/src/a.mjs" });
  expect(a).toMatchObject({ changed: true, functions: 1, fromCache: false });
  expect(a.code.split("\n")).toHaveLength(text.split("\n").length); // same lines
  expect(readdirSync(first.dir)).toHaveLength(1);

  const restart = setup("1.0.0", first.dir);
  expect(restart.it.transform({ text, file: "/app/src/a.mjs" })).toEqual({ ...a, fromCache: true });
  expect(restart.calls).toEqual([]);
  restart.it.transform({ text: text.replace("1;", "2;"), file: "/app/src/a.mjs" });
  expect(restart.calls).toEqual(["src/a.mjs"]);

  const upgraded = setup("1.0.1", first.dir);
  upgraded.it.transform({ text, file: "/app/src/a.mjs" });
  expect(upgraded.calls).toEqual(["src/a.mjs"]);
});

test("a file that does not parse: reported once as path:line:col, original text returned, failure cached", () => {
  const { it, reports, dir } = setup();
  const text = "function f( {\n  return 1;\n}\n";
  for (let i = 0; i < 2; i++) expect(it.transform({ text, file: "/app/old.cjs" })).toMatchObject({ code: text, changed: false });
  expect(reports).toEqual(["functrace: old.cjs:2:10: ':' expected. (not instrumented; the file runs as written)"]);
  const again = setup("1.0.0", dir);
  expect(again.it.transform({ text, file: "/app/old.cjs" })).toMatchObject({ code: text, fromCache: true, error: expect.stringContaining("old.cjs:2:10:") });
  expect(again.calls).toEqual([]);
});

test("the codemod failing to load never breaks the program", () => {
  const settings = { cwd: CWD, include: DEFAULT_INCLUDE, exclude: [], cacheDir: null, importFrom: "functrace", log: false };
  const reports: string[] = [];
  const it = new Instrumenter(settings, "1", () => { throw new Error("Cannot find module 'ts-morph'"); }, undefined, (m) => reports.push(m));
  expect(it.transform({ text: "function f() {}", file: "/app/a.js" })).toMatchObject({ code: "function f() {}", changed: false });
  expect(reports).toEqual(["functrace: a.js: not instrumented: Cannot find module 'ts-morph'"]);
});

test("CommonJS TypeScript gets the require form of the contract's import line", () => {
  const { it } = setup();
  const out = it.transform({ text: "function f(n: number) {\n  return n;\n}\nmodule.exports = { f };\n", file: "/app/m.cts", commonJs: true });
  expect(out.code.startsWith('const { __ft } = require("functrace"); function f(n: number) {')).toBe(true);
  expect(requireStyle('import { __ft } from "x"; a', "x")).toBe('const { __ft } = require("x"); a');
});

test("settings from the environment", () => {
  const s = settingsFromEnv({ FUNCTRACE_INCLUDE_FILES: "src/**, lib/*.js", FUNCTRACE_EXCLUDE_FILES: "**/*.spec.ts", FUNCTRACE_CACHE_DIR: "off" }, "/w", "/w/node_modules/.cache/functrace");
  expect(s).toEqual({ cwd: "/w", include: ["src/**", "lib/*.js"], exclude: ["**/*.spec.ts"], cacheDir: null, importFrom: "functrace", log: false });
  expect(settingsFromEnv({}, "/w", "/c").cacheDir).toBe("/c");
});
