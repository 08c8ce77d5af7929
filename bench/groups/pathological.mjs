// Group "pathological": issue 14's pathological parse: the `marked` bundle parsing a document
// that makes it backtrack (5000 unclosed "*a" emphasis openers on one line: quadratic retries
// of the inline rules, ~0.3 s and ~100k traced calls a parse), instrumented copy vs original,
// interleaved. Standalone twin with a breakdown: bench/record-pathological.bench.mjs.
//   node --expose-gc bench/groups/pathological.mjs --mode <record|rec|idle> --dir <scratch>
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { arg, emit } from "../lib/harness.mjs";
import { runMode } from "../lib/group-runner.mjs";

const SIZE = 5000;
const doc = "*a".repeat(SIZE) + "\n";

const WORKLOADS = [
  {
    key: "marked-pathological",
    title: `marked: pathological parse (${SIZE} unclosed "*a")`,
    unit: "ns/parse",
    load: async (copyDir) => {
      const { parse } = await import(pathToFileURL(join(copyDir, "marked.mjs")).href);
      return (n) => {
        let a = 0;
        for (let i = 0; i < n; i++) a += parse(doc).length;
        return a;
      };
    },
  },
];

await runMode("pathological", arg("mode"), arg("dir"), WORKLOADS);
emit();
