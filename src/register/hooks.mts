// ESM loader hooks (module.register): instrument the program's own ES modules as they load.
// On Node 20-24 these run on the loader thread; `initialize` gets the settings from the entry.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { InstrumentFn } from "./instrumenter.js";
import { Instrumenter } from "./instrumenter.js";
import type { InstrumentSettings } from "./options.js";

/** What the entry passes to `module.register(..., { data })`. */
export interface HooksData {
  settings: InstrumentSettings;
  version: string;
  ownRoot: string;
  /** URL of this copy's ESM runtime, for instrumented files where `functrace` does not resolve. */
  runtimeUrl: string;
}

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context: { format?: string | null }) => Promise<LoadResult>;
type NextResolve = (specifier: string, context: { parentURL?: string }) => Promise<{ url: string }>;

const require = createRequire(import.meta.url);
const TS_FILE_RE = /\.[cm]?tsx?$/i;
let instrumenter: Instrumenter | undefined;
let data: HooksData | undefined;
const instrumented = new Set<string>();

export function initialize(init: HooksData): void {
  data = init;
  const codemod = (): InstrumentFn => (require("../codemod/index.js") as { instrumentText: InstrumentFn }).instrumentText;
  instrumenter = new Instrumenter(init.settings, init.version, codemod, init.ownRoot);
}

export async function resolve(specifier: string, context: { parentURL?: string }, nextResolve: NextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (data && specifier === data.settings.importFrom && context.parentURL !== undefined && instrumented.has(context.parentURL)) {
      return { url: data.runtimeUrl, shortCircuit: true };
    }
    throw error;
  }
}

export async function load(url: string, context: { format?: string | null }, nextLoad: NextLoad): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  // CommonJS without a source (Node 20, and 22/24 for plain .cjs/.js) is compiled by the require
  // path, which the CommonJS hook instruments; with a source (24's commonjs-typescript) it is
  // compiled from what this hook returns, so it is instrumented here, in the require form.
  if (!instrumenter || !url.startsWith("file:") || result.source == null || typeof result.format !== "string") return result;
  const esm = result.format === "module" || result.format === "module-typescript";
  if (!esm && result.format !== "commonjs" && result.format !== "commonjs-typescript") return result;
  const file = fileURLToPath(url);
  if (!instrumenter.accepts(file)) return result;
  const text = typeof result.source === "string" ? result.source : Buffer.from(result.source as Uint8Array).toString("utf8");
  const out = instrumenter.transform({ text, file, moduleType: esm ? "esm" : "cjs", commonJs: !esm && TS_FILE_RE.test(file) });
  if (!out.changed) return result;
  instrumented.add(url);
  return { ...result, source: out.code };
}
