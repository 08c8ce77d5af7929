import { join } from "node:path";
import { ROOT, describeDifferential } from "./helpers.js";

// mnemonist: ES5 constructors and prototypes, `arguments.length` overloads, forEach scopes (`this`).
describeDifferential("mnemonist differential", {
  source: join(ROOT, "node_modules", "mnemonist"),
  workload: "mnemonist.mjs",
  deps: ["obliterator"],
  traceSlice: 5,
  mention: /->lru-cache\.LRUCache\.set$/,
  minFunctions: 600,
  minCases: 25_000,
});
