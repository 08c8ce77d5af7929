import type { UnpluginFactory } from "unplugin";
import { Instrumenter, type InstrumentFn } from "../register/instrumenter.js";
import { DEFAULT_INCLUDE } from "../register/options.js";
import { PackageTypes } from "../register/package-type.js";
import { importCodemod } from "./load-codemod.js";
import { instrumentationMap } from "./source-map.js";
import { stripWrappers } from "./strip-wrappers.js";

/** Options of `functrace/unplugin` and `functrace/vite`. */
export interface FunctracePluginOptions {
  /**
   * true: emit the original code (production): files are not instrumented, and files
   * instrumented in the source tree (`functrace-gen -w`) lose their wrappers and runtime
   * import; false: instrument. Default: the bundler's mode
   * (Vite: `vite build` in mode production; webpack/Rspack: `mode: "production"`), otherwise
   * `NODE_ENV === "production"`.
   */
  production?: boolean;
  /** Globs relative to `cwd`; default every JS/TS file. `node_modules` is always left alone. */
  include?: string[];
  exclude?: string[];
  /** Folder globs and the `file` passed to the runtime are relative to. Default `process.cwd()`. */
  cwd?: string;
  /** The module the injected import names. Default `functrace`. */
  importFrom?: string;
}

/** The file path of a module id; undefined for virtual modules (`\0...`). */
function fileOf(id: string): string | undefined {
  if (id.startsWith("\0")) return undefined;
  const q = id.search(/[?#]/);
  return q === -1 ? id : id.slice(0, q);
}

/**
 * One plugin for every bundler unplugin serves. Runs before the bundler's own TypeScript/JSX
 * transform (`enforce: "pre"`) so it sees the text as written; returns a source map back to it.
 */
export const functraceFactory: UnpluginFactory<FunctracePluginOptions | undefined, false> = (options = {}) => {
  let production = options.production ?? process.env.NODE_ENV === "production";
  let codemod: InstrumentFn | undefined;
  const types = new PackageTypes();
  const cwd = options.cwd ?? process.cwd();
  const settings = { cwd, include: options.include ?? DEFAULT_INCLUDE, exclude: options.exclude ?? [], cacheDir: null, importFrom: options.importFrom ?? "functrace", log: false };
  const instrumenter = new Instrumenter(settings, "plugin", () => codemod!);
  const fromMode = (mode: string | undefined) => {
    if (options.production === undefined && mode !== undefined) production = mode === "production";
  };
  return {
    name: "functrace",
    enforce: "pre",
    transformInclude(id) {
      const file = fileOf(id);
      return file !== undefined && instrumenter.accepts(file);
    },
    async transform(code, id) {
      const file = fileOf(id);
      if (file === undefined) return null;
      if (production) {
        const out = await stripWrappers(code, file);
        if (out.kind === "kept") this.warn(`functrace: ${out.reason} (its wrappers stay in the bundle)`);
        return out.kind === "stripped" ? { code: out.code, map: out.map } : null;
      }
      codemod ??= await importCodemod();
      const out = instrumenter.transform({ text: code, file, moduleType: types.of(file) });
      if (!out.changed) return null;
      return { code: out.code, map: instrumentationMap(code, out.code, file) };
    },
    vite: {
      configResolved(config: { command: string; mode: string }) {
        fromMode(config.command === "build" ? config.mode : "development");
      },
    },
    webpack(compiler) {
      fromMode(compiler.options.mode ?? undefined);
    },
    rspack(compiler) {
      fromMode(compiler.options.mode ?? undefined);
    },
  };
};
