import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { rollup } from "rollup";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { main } from "../../src/codemod/cli.js";

// An instrumented ESM app bundled with esbuild and Rollup, in a project where functrace is
// installed from its package files (dist/, package.json) and no OpenTelemetry package exists
// anywhere up the tree: the bundles build, contain no OpenTelemetry module, and run.
const root = join(__dirname, "..", "..");
const APP = `export function add(a, b) { return a + b; }
export async function main() {
  await new Promise((r) => setTimeout(r, 1));
  console.log("sum", add(1, 2));
}
main();
`;
let dir: string;
const sizes: Record<string, number> = {};

beforeAll(() => {
  if (!existsSync(join(root, "dist", "esm", "index.js"))) throw new Error("dist/ is missing: run `npm run build` first");
  dir = mkdtempSync(join(tmpdir(), "functrace-bundle-"));
  const pkg = join(dir, "node_modules", "functrace");
  mkdirSync(pkg, { recursive: true });
  cpSync(join(root, "dist"), join(pkg, "dist"), { recursive: true });
  cpSync(join(root, "package.json"), join(pkg, "package.json"));
  writeFileSync(join(dir, "package.json"), '{ "name": "app", "type": "module" }\n');
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "app.js"), APP);
  writeFileSync(join(dir, "src", "plain.js"), APP);
  const quiet = { cwd: dir, stdout: () => {}, stderr: () => {}, isTTY: false };
  expect(main(["-w", "src/app.js"], quiet)).toBe(0);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  console.log(`bundle sizes (bytes): ${JSON.stringify(sizes)}`);
});

function run(file: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [file], { cwd: dir, encoding: "utf8", env: { ...process.env, FUNCTRACE: "", FUNCTRACE_OUTPUT: "", ...env } });
}

function esbuild(name: string, entry: string, format: "esm" | "cjs", conditions: string[], platform: "node" | "browser" = "node"): string[] {
  const outfile = join(dir, "out", `${name}.${format === "esm" ? "mjs" : "cjs"}`);
  const r = buildSync({ absWorkingDir: dir, entryPoints: [entry], bundle: true, platform, format, conditions, outfile, metafile: true, logLevel: "silent" });
  expect(r.errors).toEqual([]);
  expect(r.warnings).toEqual([]);
  sizes[name] = statSync(outfile).size;
  return Object.keys(r.metafile.inputs);
}

const OTEL = /@opentelemetry|\/trace\/otel\/(?!attribute-names)/;

describe("bundling an instrumented ESM app", () => {
  it.each(["esm", "cjs"] as const)("should build and run with esbuild (%s), traced and functrace-off, without OpenTelemetry", (format) => {
    const traced = esbuild(`esbuild-${format}`, "src/app.js", format, []);
    expect(traced.filter((f) => OTEL.test(f))).toEqual([]);
    const off = esbuild(`esbuild-off-${format}`, "src/app.js", format, ["functrace-off"]);
    expect(off.filter((f) => f.includes("node_modules/functrace/")).map((f) => f.replace(/.*\/dist\/esm\//, ""))).toEqual(
      expect.arrayContaining(["noop-entry.js"]),
    );
    expect(off.some((f) => /\/(engine|state|registry)\.js$/.test(f))).toBe(false);
    esbuild(`esbuild-plain-${format}`, "src/plain.js", format, []);
    const ext = format === "esm" ? "mjs" : "cjs";
    const on = run(`out/esbuild-${format}.${ext}`, { FUNCTRACE: "on" });
    expect({ status: on.status, stdout: on.stdout }).toEqual({ status: 0, stdout: "sum 3\n" });
    expect(on.stderr).toContain("<-app.add");
    const quiet = run(`out/esbuild-off-${format}.${ext}`, { FUNCTRACE: "on" });
    expect({ status: quiet.status, stdout: quiet.stdout, stderr: quiet.stderr }).toEqual({ status: 0, stdout: "sum 3\n", stderr: "" });
  });

  it("should resolve the browser condition to the no-op twin, which needs no Node builtin", () => {
    const inputs = esbuild("esbuild-browser", "src/app.js", "esm", [], "browser");
    expect(inputs.some((f) => f.endsWith("noop-entry.js"))).toBe(true);
    expect(readFileSync(join(dir, "out", "esbuild-browser.mjs"), "utf8")).not.toMatch(/from\s*"node:|import\("node:|require\(/);
    expect(run("out/esbuild-browser.mjs").stdout).toBe("sum 3\n");
  });

  it("should build and run with Rollup and @rollup/plugin-node-resolve, with no OpenTelemetry module in any chunk", async () => {
    for (const [name, exportConditions] of [["rollup", ["node"]], ["rollup-off", ["functrace-off", "node"]]] as const) {
      const warnings: string[] = [];
      const bundle = await rollup({
        input: join(dir, "src", "app.js"),
        plugins: [nodeResolve({ exportConditions: [...exportConditions], preferBuiltins: true })],
        external: [/^node:/],
        onwarn: (w) => void warnings.push(`${w.code}: ${w.message}`),
      });
      expect(warnings).toEqual([]);
      expect(bundle.watchFiles.filter((f) => OTEL.test(f))).toEqual([]);
      const { output } = await bundle.write({ dir: join(dir, "out", name), format: "esm" });
      expect(output.map((o) => o.fileName)).toEqual(["app.js"]); // one chunk: nothing split off towards the peers
      sizes[name] = statSync(join(dir, "out", name, "app.js")).size;
      writeFileSync(join(dir, "out", name, "package.json"), '{ "type": "module" }\n');
      const r = run(`out/${name}/app.js`, { FUNCTRACE: "on" });
      expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: "sum 3\n" });
      expect(r.stderr.includes("<-app.add")).toBe(name === "rollup");
    }
  });
});
