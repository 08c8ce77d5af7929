// `node --import functrace/register app.js`: traces the program's own files as they load,
// without rewriting any of them. ES modules through module.register hooks, CommonJS through
// the require path; settings from FUNCTRACE_* variables (docs/register.md).
import { register } from "node:module";
import { fileURLToPath } from "node:url";
import { startRegister } from "./start.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const data = startRegister(here);
if (data) register("./hooks.mjs", import.meta.url, { data });
