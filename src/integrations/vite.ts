// functrace/vite: the Vite (and so Vitest) plugin, `plugins: [functrace()]`.
import { createVitePlugin } from "unplugin";
import { functraceFactory } from "./plugin-factory.js";

export type { FunctracePluginOptions } from "./plugin-factory.js";

const functrace = createVitePlugin(functraceFactory);
export default functrace;
