import Module from "node:module";
import type { Instrumenter } from "./instrumenter.js";

const INSTALLED = Symbol.for("functrace.register.cjs.v1");

interface ModuleInternals {
  prototype: { _compile(content: string, filename: string, ...rest: unknown[]): unknown };
  _resolveFilename(request: string, parent: { filename?: string } | undefined, ...rest: unknown[]): string;
  [INSTALLED]?: boolean;
}

const TS_FILE_RE = /\.[cm]?tsx?$/i;

/**
 * CommonJS through the require path: every module Node compiles as CommonJS passes through
 * `Module.prototype._compile(content, filename, format?)`, whichever extension handler produced
 * the content (Node's own, type stripping's `commonjs-typescript`, tsx, ts-node). Wrapping it
 * works the same on Node 20, 22 and 24. `functrace` itself resolves from an instrumented file
 * as it would from the program; only when it is not installed there does it fall back to this
 * copy (`runtimeFile`).
 */
export function installCjsHook(instrumenter: Instrumenter, runtimeFile: string): void {
  const M = Module as unknown as ModuleInternals;
  if (M[INSTALLED]) return;
  M[INSTALLED] = true;
  const instrumented = new Set<string>();
  const compile = M.prototype._compile;
  M.prototype._compile = function (this: unknown, content: string, filename: string, ...rest: unknown[]) {
    let code = content;
    if (typeof content === "string" && typeof filename === "string" && instrumenter.accepts(filename)) {
      const format = typeof rest[0] === "string" ? rest[0] : undefined;
      const esm = format !== undefined && format.startsWith("module");
      const out = instrumenter.transform({
        text: content,
        file: filename,
        moduleType: esm ? "esm" : "cjs",
        commonJs: !esm && TS_FILE_RE.test(filename),
      });
      if (out.changed) {
        code = out.code;
        instrumented.add(filename);
      }
    }
    return compile.call(this, code, filename, ...rest);
  };
  const resolve = M._resolveFilename;
  const from = instrumenter.settings.importFrom;
  M._resolveFilename = function (this: unknown, request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) {
    try {
      return resolve.call(this, request, parent, ...rest);
    } catch (error) {
      if (request === from && parent?.filename !== undefined && instrumented.has(parent.filename)) return runtimeFile;
      throw error;
    }
  };
}
