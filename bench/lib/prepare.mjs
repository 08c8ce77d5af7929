// Builds the bench's scratch folder (never committed): the original workloads, a copy
// instrumented with the codemod CLI, and a copy instrumented then `--remove`d (checked byte for
// byte against the original). node_modules/functrace links back to this package, so the
// injected `require("functrace")` / `import ... from "functrace"` resolves through package.json
// exports, conditions included (functrace-off -> the no-op twin).
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const SEMVER_PARTS = ["classes", "functions", "internal", "ranges", "index.js"];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

function gen(pkg, cwd, args) {
  const res = spawnSync(process.execPath, [join(pkg, "bin/functrace-gen.js"), ...args], { cwd, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`functrace-gen ${args.join(" ")} failed (${res.status}):\n${res.stderr}`);
  return (res.stdout + res.stderr).trim().split("\n").pop();
}

/**
 * A private snapshot of the built package (package.json, dist, bin; node_modules linked): a
 * rebuild of the working tree while the bench runs cannot pull dist/ from under it.
 */
function snapshot(root, to) {
  mkdirSync(to);
  for (const part of ["package.json", "dist", "bin"]) cpSync(join(root, part), join(to, part), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(to, "node_modules"), "dir");
}

/**
 * <dir>/floor: the instrumented copy, whose `functrace` resolves to the hand-written floor
 * (bench/lib/floor-tracer.cjs) instead: the recording rows of real code are measured against a
 * floor that runs the same generated wrappers over the same calls.
 */
function floorCopy(root, dir) {
  const floor = join(dir, "floor");
  cpSync(join(dir, "inst"), floor, { recursive: true });
  const fake = join(floor, "node_modules", "functrace");
  mkdirSync(fake, { recursive: true });
  cpSync(join(root, "bench/lib/floor-tracer.cjs"), join(fake, "floor-tracer.cjs"));
  writeFileSync(join(fake, "index.cjs"), 'module.exports = { __ft: require("./floor-tracer.cjs").generatedFloorApi() };\n');
  writeFileSync(join(fake, "index.mjs"), 'import floor from "./index.cjs";\nexport const __ft = floor.__ft;\n');
  const exports = { ".": { import: "./index.mjs", require: "./index.cjs" } };
  writeFileSync(join(fake, "package.json"), JSON.stringify({ name: "functrace", private: true, exports }, null, 1));
}

/** Creates the scratch folder; returns its manifest (also written to <dir>/manifest.json). */
export function prepare(root) {
  const dir = mkdtempSync(join(tmpdir(), "functrace-bench-"));
  const pkg = join(dir, "pkg");
  snapshot(root, pkg);
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(pkg, join(dir, "node_modules", "functrace"), "dir");
  const orig = join(dir, "orig");
  mkdirSync(join(orig, "semver"), { recursive: true });
  cpSync(join(root, "bench/lib/workloads/micro.cjs"), join(orig, "micro.cjs"));
  cpSync(join(root, "bench/lib/workloads/async.cjs"), join(orig, "async.cjs"));
  // ESM bundle: .mjs, so it stays ESM without a package.json of its own
  cpSync(join(root, "node_modules/marked/lib/marked.esm.js"), join(orig, "marked.mjs"));
  for (const part of SEMVER_PARTS) cpSync(join(root, "node_modules/semver", part), join(orig, "semver", part), { recursive: true });
  cpSync(orig, join(dir, "inst"), { recursive: true });
  const instrumented = gen(pkg, join(dir, "inst"), ["-w", "."]);
  cpSync(join(dir, "inst"), join(dir, "removed"), { recursive: true });
  const removed = gen(pkg, join(dir, "removed"), ["--remove", "-w", "."]);
  floorCopy(root, dir);
  const differ = [];
  let lines = 0;
  for (const file of files(orig)) {
    const rel = relative(orig, file);
    const a = readFileSync(file);
    lines += a.toString("utf8").split("\n").length;
    if (!a.equals(readFileSync(join(dir, "removed", rel)))) differ.push(rel);
  }
  const manifest = { dir, pkg, instrumented, removed, removedIdentical: differ.length === 0, differ, lines };
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest, null, 1));
  return manifest;
}

/** Deletes the scratch folder. */
export function cleanup(dir) {
  rmSync(dir, { recursive: true, force: true });
}
