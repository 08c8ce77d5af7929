// Builds dist/cjs (tsc: type check + declarations) and dist/esm (per-file transpile of the
// same sources; the type check already ran once, so ESM does not pay for it twice).
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const ts = require("typescript");
const root = join(dirname(new URL(import.meta.url).pathname), "..");
const src = join(root, "src");
const dist = join(root, "dist");

rmSync(dist, { recursive: true, force: true });
let typeErrors = false;
try {
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json"), "--outDir", join(dist, "cjs")], {
    stdio: "inherit",
  });
} catch {
  // tsc still emitted; finish the ESM half so the tree stays usable, then fail.
  typeErrors = true;
}
writeFileSync(join(dist, "cjs", "package.json"), '{ "type": "commonjs" }\n');

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) yield path;
  }
}

for (const file of walk(src)) {
  const out = join(dist, "esm", relative(src, file)).replace(/\.ts$/, ".js");
  const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, esModuleInterop: true, useDefineForClassFields: false },
  });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, outputText);
}
writeFileSync(join(dist, "esm", "package.json"), '{ "type": "module" }\n');
// functrace-mixer serve and the bridge's remote mode load the shipped .proto files next to their module.
for (const flavour of ["cjs", "esm"]) cpSync(join(src, "mixer", "server", "proto"), join(dist, flavour, "mixer", "server", "proto"), { recursive: true });

if (typeErrors) {
  console.error("build: type errors (see above); dist/ was written anyway");
  process.exit(1);
}
