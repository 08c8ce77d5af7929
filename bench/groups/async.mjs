// Group "async": many concurrent async chains (Promise.all of chains of awaited calls).
//   node --expose-gc bench/groups/async.mjs --mode <mode> --dir <scratch>
// Enabled tracing makes AsyncLocalStorage live for the whole process (promise hooks slow every
// await, traced or not), so in the enabled modes the ratio is taken against the uninstrumented
// copy measured in the same process BEFORE tracing was enabled; the interleaved ratio is kept
// in results.json as ratioInterleaved.
import { createRequire } from "node:module";
import { join } from "node:path";
import { arg, emit } from "../lib/harness.mjs";
import { runMode } from "../lib/group-runner.mjs";

const require = createRequire(import.meta.url);
const mode = arg("mode");
const dir = arg("dir");
const WIDTH = 100;
const LENGTH = 10;

const WORKLOADS = [
  {
    key: "async",
    title: `async: ${WIDTH} concurrent chains x ${LENGTH} steps`,
    unit: "ns/op",
    load: async (copyDir) => {
      const { manyLoop } = require(join(copyDir, "async.cjs"));
      return (n) => manyLoop(n, WIDTH, LENGTH);
    },
  },
];

await runMode("async", mode, dir, WORKLOADS, () => [], { pureBaseFirst: true });
emit();
