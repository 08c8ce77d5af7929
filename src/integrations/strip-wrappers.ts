import { instrumentationMap, type RawSourceMap } from "./source-map.js";

type Remove = (text: string, fileName?: string) => string;

let remover: Remove | undefined;

/** The codemod's `removeInstrumentation`, loaded on the first instrumented file (TypeScript is slow to load). */
async function loadRemover(): Promise<Remove> {
  if (typeof require === "function") {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, only when a file carries wrappers
    return (require("../codemod/index.js") as { removeInstrumentation: Remove }).removeInstrumentation;
  }
  return (await import("../codemod/index.js")).removeInstrumentation;
}

/** What a production build does with one file's text. */
export type StripOutcome =
  | { kind: "plain" }
  | { kind: "stripped"; code: string; map: RawSourceMap }
  | { kind: "kept"; reason: string };

/**
 * A file instrumented in the source tree (`functrace-gen -w`, committed) goes into a
 * production bundle as it was before instrumentation: no wrapper, no runtime import, so the
 * no-op build costs nothing at all (a wrapper's try/finally alone costs 4-18 % on V8, see
 * docs/benchmarks.md). A wrapper edited by hand is kept (it still runs, as a no-op under the
 * functrace-off condition) and reported.
 */
export async function stripWrappers(code: string, file: string): Promise<StripOutcome> {
  if (!code.includes("__ft")) return { kind: "plain" };
  remover ??= await loadRemover();
  try {
    const stripped = remover(code, file);
    if (stripped === code) return { kind: "plain" };
    return { kind: "stripped", code: stripped, map: instrumentationMap(code, stripped, file) };
  } catch (error) {
    return { kind: "kept", reason: error instanceof Error ? error.message : String(error) };
  }
}
