// Group "real": call overhead on real code instrumented by the codemod: the `marked` bundle
// rendering a Markdown corpus, and the `semver` sources over a version x range grid.
//   node --expose-gc bench/groups/real.mjs --mode <mode> --dir <scratch>
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { arg, emit, quick } from "../lib/harness.mjs";
import { runMode } from "../lib/group-runner.mjs";
import { markdownCorpus, semverGrid } from "../lib/corpus.mjs";

const require = createRequire(import.meta.url);
const mode = arg("mode");
const dir = arg("dir");
const root = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../..");

// --quick renders the first six documents (about a fifth of the corpus)
const docs = quick ? markdownCorpus(root).slice(0, 6) : markdownCorpus(root);
const chars = docs.reduce((a, d) => a + d.length, 0);
const { versions, ranges } = semverGrid();

const WORKLOADS = [
  {
    key: "marked",
    title: `marked: render ${docs.length} docs (${Math.round(chars / 1024)} KiB)`,
    unit: "ns/corpus",
    load: async (copyDir) => {
      const { parse } = await import(pathToFileURL(join(copyDir, "marked.mjs")).href);
      return (n) => {
        let a = 0;
        for (let i = 0; i < n; i++) for (const doc of docs) a += parse(doc).length;
        return a;
      };
    },
  },
  {
    key: "semver",
    title: `semver: ${versions.length} versions x ${ranges.length} ranges`,
    unit: "ns/grid",
    load: async (copyDir) => {
      const semver = require(join(copyDir, "semver/index.js"));
      const valid = versions.filter((v) => semver.valid(v));
      return (n) => {
        let a = 0;
        for (let i = 0; i < n; i++) {
          for (const r of ranges) {
            for (const v of versions) if (semver.satisfies(v, r)) a++;
            a += semver.maxSatisfying(valid, r) === null ? 0 : 1;
          }
          a += semver.sort(valid.slice()).length + semver.rsort(valid.slice()).length;
        }
        return a;
      };
    },
  },
];

/**
 * In the recording modes, the floor in the same interleaving: the instrumented copy whose
 * `functrace` is the hand-written floor (prepare.mjs, floorCopy), so the same generated wrappers
 * make the same calls, each paying two clock reads and a ring write.
 */
async function floorVariant(w, calls) {
  if (mode !== "rec" && mode !== "record") return [];
  const resolved = createRequire(join(dir, "floor", "here.js")).resolve("functrace");
  if (!resolved.startsWith(join(dir, "floor", "node_modules"))) throw new Error(`the floor copy resolves functrace to ${resolved}`);
  const fn = await w.load(join(dir, "floor"));
  return [{ key: "floor", mode: "floor", label: "floor: 2 clock reads + ring-buffer write (hand-written, same generated wrappers)", fn, calls }];
}

await runMode("real", mode, dir, WORKLOADS, floorVariant);
emit();
