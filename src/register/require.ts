// `node --require functrace/register app.js`: the same as `--import`, from a CommonJS preload.
import { register } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startRegister } from "./start.js";

const data = startRegister(__dirname);
if (data) register(pathToFileURL(join(__dirname, "hooks.mjs")).href, { data } as never);
