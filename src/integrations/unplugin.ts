// functrace/unplugin: instrument in development and test builds, emit the original code in
// production builds, for esbuild, Vite, Rollup, Rolldown, webpack and Rspack.
import { createUnplugin } from "unplugin";
import { functraceFactory } from "./plugin-factory.js";

export type { FunctracePluginOptions } from "./plugin-factory.js";

export const functrace = createUnplugin(functraceFactory);
export const esbuildPlugin = functrace.esbuild;
export const vitePlugin = functrace.vite;
export const rollupPlugin = functrace.rollup;
export const rolldownPlugin = functrace.rolldown;
export const webpackPlugin = functrace.webpack;
export const rspackPlugin = functrace.rspack;
export default functrace;
