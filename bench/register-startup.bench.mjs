// Start-up cost of `node --import functrace/register` on a real program, side by side with plain
// node in one run: a temp app made of semver@7 (CommonJS, ~50 files) and marked (one 2,600-line
// ES module), parsing a version range and rendering a document. Modes, interleaved per round:
// plain node; --import with an empty cache (cold: loads ts-morph, instruments every file);
// --import with the cache warm (no parse, ts-morph never loaded).
// Run: npm run build && node bench/register-startup.bench.mjs [rounds]
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const rounds = Number(process.argv[2] ?? 7);
const app = mkdtempSync(join(tmpdir(), "ft-startup-"));
cpSync(join(root, "node_modules", "semver"), join(app, "semver"), { recursive: true });
cpSync(join(root, "node_modules", "marked", "lib", "marked.esm.js"), join(app, "marked.mjs"));
writeFileSync(
  join(app, "main.mjs"),
  `import { createRequire } from "node:module";\nimport { marked } from "./marked.mjs";\n` +
    `const semver = createRequire(import.meta.url)("./semver/index.js");\n` +
    `const ok = semver.satisfies("1.2.3", "^1.0.0 || >=2.1 <3");\nconst html = marked.parse("# t\\n\\n* a\\n* b");\n` +
    `if (!ok || !html.includes("<li>")) process.exit(1);\n`,
);
const register = join(root, "dist", "cjs", "register", "index.mjs");
const cache = join(app, ".cache");
const env = { ...process.env, FUNCTRACE: "", FUNCTRACE_CACHE_DIR: cache };

function time(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: app, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const results = { plain: [], cold: [], cached: [] };
for (let i = 0; i < rounds; i++) {
  results.plain.push(time(["main.mjs"]));
  rmSync(cache, { recursive: true, force: true });
  results.cold.push(time(["--import", register, "main.mjs"]));
  results.cached.push(time(["--import", register, "main.mjs"]));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(results.plain);
console.log(`node ${process.version}, ${rounds} rounds, medians`);
for (const [mode, xs] of Object.entries(results)) {
  const m = median(xs);
  console.log(`${mode.padEnd(7)} ${m.toFixed(0).padStart(6)} ms  (+${(m - base).toFixed(0)} ms)`);
}
rmSync(app, { recursive: true, force: true });
