// How deep a trivial recursive function gets before RangeError, plain vs instrumented by functrace-gen
// (issue 9 item 6), run against the BUILT files:
//   npm run build && node bench/recursion-depth.bench.mjs [--dist DIR] [--json]
// Each figure is a fresh process. cold: the first overflow (interpreted frames); warm: after 20,000
// bounded calls (`stop = 200`), when TurboFan has optimized the function. Tracing off = FUNCTRACE=off
// (the frozen no-op twin), on = FUNCTRACE=on with the tree printer to /dev/null.
// The function: `function down() { if (++d !== stop) down(); }` (stop = -1: until the stack overflows).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const DIST = arg("dist", join(ROOT, "dist"));
const JSON_OUT = process.argv.includes("--json");

const dir = mkdtempSync(join(tmpdir(), "functrace-depth-"));
const pkg = join(dir, "node_modules", "functrace");
mkdirSync(pkg, { recursive: true });
cpSync(join(ROOT, "package.json"), join(pkg, "package.json"));
cpSync(DIST, join(pkg, "dist"), { recursive: true });
symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"), "dir");
const { instrumentText } = createRequire(join(pkg, "package.json"))("./dist/cjs/codemod/index.js");

const SOURCE = `"use strict";
let d = 0;
let stop = -1;
function down() {
  if (++d !== stop) down();
}
function depth() {
  d = 0;
  stop = -1;
  try {
    down();
  } catch {}
  return d;
}
const cold = depth();
for (let i = 0; i < 20000; i++) {
  d = 0;
  stop = 200;
  down();
}
console.log(JSON.stringify({ cold, warm: depth() }));
`;
const plain = join(dir, "plain.cjs");
const inst = join(dir, "instrumented.cjs");
writeFileSync(plain, SOURCE);
writeFileSync(inst, instrumentText(SOURCE, { fileName: "instrumented.cjs", moduleType: "cjs" }).text);

function run(file, env) {
  const res = spawnSync(process.execPath, [file], { cwd: dir, encoding: "utf8", env: { ...process.env, FUNCTRACE: "", ...env } });
  if (res.status !== 0) throw new Error(`${file} failed: ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split("\n").pop());
}

try {
  const base = run(plain, {});
  const rows = [
    ["plain", base],
    ["instrumented, FUNCTRACE=off", run(inst, { FUNCTRACE: "off" })],
    ["instrumented, nothing configured", run(inst, {})],
    ["instrumented, FUNCTRACE=on (tree printer to /dev/null)", run(inst, { FUNCTRACE: "on", FUNCTRACE_OUTPUT: "/dev/null" })],
  ];
  if (!JSON_OUT) console.log(`recursion depth before RangeError, Node ${process.version} (frames; ratio = instrumented / plain)`);
  for (const [name, r] of rows) {
    const out = { name: `recursion depth: ${name}`, cold: r.cold, warm: r.warm, coldRatio: +(r.cold / base.cold).toFixed(3), warmRatio: +(r.warm / base.warm).toFixed(3) };
    if (JSON_OUT) console.log(JSON.stringify(out));
    else console.log(`${name.padEnd(58)} cold ${String(r.cold).padStart(6)} (${(out.coldRatio * 100).toFixed(0)} %)   warm ${String(r.warm).padStart(6)} (${(out.warmRatio * 100).toFixed(0)} %)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
