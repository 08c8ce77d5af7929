export { instrumentText } from "./instrument.js";
export type { InstrumentOptions, InstrumentResult } from "./instrument.js";
export { removeInstrumentation, RemoveError } from "./remove.js";
export { ParseError } from "./parse.js";
export type { SkippedFunction } from "./find-targets.js";
