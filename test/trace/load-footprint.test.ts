import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = join(__dirname, "../..");
const scratch = mkdtempSync(join(tmpdir(), "functrace-footprint-"));
const emptyModule = join(scratch, "empty.mjs");

/** Node's built-ins a child process loaded while it ran `script` (process.moduleLoadList, before/after). */
async function builtinsLoadedBy(script: string, flags: string[] = []): Promise<string[]> {
  const probe = `
    let before;
    const report = () => console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith("NativeModule ")).map((m) => m.slice(13))));
    // an empty module's import() first: what the ES module loader loads for itself is not functrace's
    import(${JSON.stringify(pathToFileURL(emptyModule).href)}).then(async () => { before = new Set(process.moduleLoadList); ${script} }).then(report);`;
  const env = { ...process.env, FUNCTRACE: "", FUNCTRACE_EXPORTER: "", FUNCTRACE_RECORD: "" };
  const { stdout } = await run(process.execPath, [...flags, "-e", probe], { cwd: root, env, timeout: 20_000 });
  return JSON.parse(stdout) as string[];
}

const HEAVY = /^(https|tls|_tls_.*|internal\/tls\/.*|crypto|internal\/crypto\/.*|worker_threads|internal\/worker.*|tty|fs\/promises|internal\/fs\/promises|readline|internal\/readline\/.*)$/;
const cjs = JSON.stringify(join(root, "dist/cjs/index.js"));
const esm = JSON.stringify(pathToFileURL(join(root, "dist/esm/index.js")).href);

// Loading functrace must not cost a program the built-ins it never asked for: TLS alone is ~6 MB of RSS.
describe("the built-ins loading functrace costs", () => {
  beforeAll(() => {
    if (!existsSync(join(root, "dist/cjs/index.js"))) throw new Error("dist/ is missing: run `npm run build` first");
    writeFileSync(emptyModule, "export default 1;\n");
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("require(): no TLS, crypto, worker thread or tty module", async () => {
    const loaded = await builtinsLoadedBy(`require(${cjs});`);
    expect(loaded).toContain("perf_hooks"); // the probe sees what loading brings in
    expect(loaded.filter((m) => HEAVY.test(m))).toEqual([]);
  });

  it("import: none of those either, and not all of node:fs (fs/promises, readline)", async () => {
    const loaded = await builtinsLoadedBy(`await import(${esm});`);
    expect(loaded).toContain("perf_hooks");
    expect(loaded.filter((m) => HEAVY.test(m))).toEqual([]);
  });

  it("Zipkin export over http: loads http, not https or TLS", async () => {
    const loaded = await builtinsLoadedBy(`require(${cjs}).configure({ exporters: [{ type: "zipkin", url: "http://127.0.0.1:9/api/v2/spans" }] });`);
    expect(loaded).toContain("http");
    expect(loaded.filter((m) => HEAVY.test(m))).toEqual([]);
  });

  it("an https exporter and a recording load what they use, when they are configured", async () => {
    const loaded = await builtinsLoadedBy(`
      const ft = require(${cjs});
      const file = require("node:path").join(require("node:os").tmpdir(), "functrace-footprint-" + process.pid + ".ftrec");
      ft.configure({ exporters: [{ type: "zipkin", url: "https://127.0.0.1:9/api/v2/spans" }], record: { file } });
      await ft.shutdown();
      require("node:fs").rmSync(file, { force: true });`);
    expect(loaded).toEqual(expect.arrayContaining(["https", "worker_threads"]));
  });

  it("without process.getBuiltinModule (Node before 20.16) it loads its built-ins by require", async () => {
    const loaded = await builtinsLoadedBy(`
      delete process.getBuiltinModule;
      require(${cjs}).configure({ exporters: [{ type: "zipkin", url: "https://127.0.0.1:9/api/v2/spans" }] });`);
    expect(loaded).toEqual(expect.arrayContaining(["https"]));
  });
});
