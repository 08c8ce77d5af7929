import { buildSync } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/**
 * A private build for child-process tests (dist/ belongs to everyone): the fixture program
 * bundled from the sources, and `functrace/mixer-bridge` as an installed package under
 * `<dir>/node_modules`, found through NODE_PATH by the runtime's lazy loader exactly as an
 * application finds the package. esbuild takes well under a second for both.
 */
export function privateBuild(dir: string, fixture: string): { program: string; env: Record<string, string> } {
  const common = { bundle: true, platform: "node" as const, format: "cjs" as const, target: "node20", logLevel: "error" as const, absWorkingDir: ROOT };
  const program = join(dir, "program.js");
  buildSync({ ...common, entryPoints: [join(ROOT, fixture)], outfile: program });
  const pkg = join(dir, "node_modules", "functrace");
  mkdirSync(pkg, { recursive: true });
  buildSync({ ...common, entryPoints: [join(ROOT, "src/mixer-bridge/index.ts")], outfile: join(pkg, "mixer-bridge.js") });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "functrace", exports: { "./mixer-bridge": "./mixer-bridge.js" } }));
  return { program, env: { NODE_PATH: join(dir, "node_modules") } };
}
