import type { InstrumentFn } from "../register/instrumenter.js";

/** The codemod's transform, loaded on first use (ts-morph is slow to load: ~0.9 s). */
export function requireCodemod(): InstrumentFn {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, only on a cache miss
  return (require("../codemod/index.js") as { instrumentText: InstrumentFn }).instrumentText;
}

/** The same under ESM (a promise); bundler hooks are async, so they load it there once. */
export async function importCodemod(): Promise<InstrumentFn> {
  if (typeof require === "function") return requireCodemod();
  return (await import("../codemod/index.js")).instrumentText;
}
