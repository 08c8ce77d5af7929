// functrace/jest: a Jest transformer that instruments the project's files with the codemod's
// transform, then hands the result to the project's own transformer (ts-jest, babel-jest...).
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Instrumenter } from "../register/instrumenter.js";
import { DEFAULT_INCLUDE } from "../register/options.js";
import { packageRootFrom, packageVersion } from "../register/package-root.js";
import { requireCodemod } from "./load-codemod.js";

/** Options: `["functrace/jest", { transformer: ["ts-jest", {...}], exclude: ["**\/*.spec.ts"] }]`. */
export interface JestTransformerOptions {
  /** The transformer to run after instrumenting: a module name, or [name, its options]. None: the text as instrumented. */
  transformer?: string | [string, unknown];
  /** Globs relative to Jest's rootDir. Default: every JS/TS file. */
  include?: string[];
  exclude?: string[];
  importFrom?: string;
}

interface TransformOptions {
  config: { rootDir: string };
  configString: string;
  supportsStaticESM?: boolean;
  instrument?: boolean;
}
type Transformed = string | { code: string; map?: unknown };
interface InnerTransformer {
  canInstrument?: boolean;
  process?(src: string, file: string, options: TransformOptions): Transformed;
  processAsync?(src: string, file: string, options: TransformOptions): Promise<Transformed>;
  getCacheKey?(src: string, file: string, options: TransformOptions): string;
  getCacheKeyAsync?(src: string, file: string, options: TransformOptions): Promise<string>;
  createTransformer?(options?: unknown): InnerTransformer | Promise<InnerTransformer>;
}

const ROOT = packageRootFrom(__dirname);
const VERSION = packageVersion(ROOT);

async function loadInner(spec: JestTransformerOptions["transformer"]): Promise<InnerTransformer | undefined> {
  if (spec === undefined) return undefined;
  const [name, options] = typeof spec === "string" ? [spec, undefined] : spec;
  let path: string;
  try {
    path = createRequire(join(process.cwd(), "package.json")).resolve(name);
  } catch {
    path = require.resolve(name);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- Jest transformers are CommonJS modules
  let mod = require(path) as InnerTransformer & { default?: InnerTransformer };
  if (mod.default && !mod.process && !mod.createTransformer) mod = mod.default as typeof mod;
  return mod.createTransformer ? await mod.createTransformer(options) : mod;
}

/**
 * Instruments first, on the text as written (types intact, every line where it was), so the
 * inner transformer, its source map and Jest's coverage all work on one text whose lines are
 * the original's; coverage hints the codemod emits reach istanbul unchanged.
 */
export async function createTransformer(options: JestTransformerOptions = {}) {
  const inner = await loadInner(options.transformer);
  const instrumenters = new Map<string, Instrumenter>();
  const instrumenterFor = (rootDir: string): Instrumenter => {
    let it = instrumenters.get(rootDir);
    if (!it) {
      const settings = { cwd: rootDir, include: options.include ?? DEFAULT_INCLUDE, exclude: options.exclude ?? [] };
      it = new Instrumenter({ ...settings, cacheDir: null, importFrom: options.importFrom ?? "functrace", log: false }, VERSION, requireCodemod, ROOT);
      instrumenters.set(rootDir, it);
    }
    return it;
  };
  const instrument = (src: string, file: string, opts: TransformOptions): string => {
    const it = instrumenterFor(opts.config.rootDir);
    if (!it.accepts(file)) return src;
    return it.transform({ text: src, file, moduleType: opts.supportsStaticESM ? "esm" : "cjs" }).code;
  };
  const key = (innerKey: string, file: string, opts: TransformOptions) =>
    createHash("sha256")
      .update(`functrace@${VERSION}\0${JSON.stringify(options)}\0${instrumenterFor(opts.config.rootDir).accepts(file)}\0${innerKey}`)
      .digest("hex");
  const plainKey = (src: string, file: string, opts: TransformOptions) => `${file}\0${opts.configString}\0${src}`;

  return {
    canInstrument: inner?.canInstrument ?? false,
    getCacheKey(src: string, file: string, opts: TransformOptions): string {
      return key(inner?.getCacheKey ? inner.getCacheKey(src, file, opts) : plainKey(src, file, opts), file, opts);
    },
    async getCacheKeyAsync(src: string, file: string, opts: TransformOptions): Promise<string> {
      if (inner?.getCacheKeyAsync) return key(await inner.getCacheKeyAsync(src, file, opts), file, opts);
      return this.getCacheKey(src, file, opts);
    },
    process(src: string, file: string, opts: TransformOptions): Transformed {
      const text = instrument(src, file, opts);
      if (!inner) return { code: text };
      if (!inner.process) throw new Error("functrace/jest: the inner transformer is async-only; run Jest with ESM (processAsync)");
      return inner.process(text, file, opts);
    },
    async processAsync(src: string, file: string, opts: TransformOptions): Promise<Transformed> {
      const text = instrument(src, file, opts);
      if (!inner) return { code: text };
      return inner.processAsync ? inner.processAsync(text, file, opts) : inner.process!(text, file, opts);
    },
  };
}

// Jest loads a transformer with interop: a module marked __esModule is read through `default`.
const transformer = { createTransformer };
export default transformer;
