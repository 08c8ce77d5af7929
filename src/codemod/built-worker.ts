import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * A worker entry built beside this module (dist/cjs/codemod/<name>.js), or undefined where there
 * is none (under ts-jest, or in the ESM build): the caller then does the work on its own thread.
 */
export function builtWorker(name: string): string | undefined {
  if (typeof __dirname !== "string") return undefined;
  const file = join(__dirname, `${name}.js`);
  return existsSync(file) ? file : undefined;
}
