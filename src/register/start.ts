import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { HooksData } from "./hooks.mjs";
import { installCjsHook } from "./cjs-hook.js";
import { Instrumenter } from "./instrumenter.js";
import { settingsFromEnv, tracingOff } from "./options.js";
import { requireCodemod } from "../integrations/load-codemod.js";
import { defaultCacheDir, packageRootFrom, packageVersion } from "./package-root.js";

/**
 * Shared by the `--import` and `--require` entries: read the settings, install the CommonJS
 * hook in this thread, and return what the ESM hooks need (undefined with FUNCTRACE=off:
 * the runtime is a no-op then, so nothing is instrumented and nothing is paid).
 */
export function startRegister(registerDir: string): HooksData | undefined {
  if (tracingOff(process.env)) return undefined;
  const ownRoot = packageRootFrom(registerDir);
  const cwd = process.cwd();
  const settings = settingsFromEnv(process.env, cwd, defaultCacheDir(cwd));
  const version = packageVersion(ownRoot);
  installCjsHook(new Instrumenter(settings, version, requireCodemod, ownRoot), join(ownRoot, "dist", "cjs", "index.js"));
  return { settings, version, ownRoot, runtimeUrl: pathToFileURL(join(ownRoot, "dist", "esm", "index.js")).href };
}
