import { join } from "node:path";
import { ROOT, describeDifferential } from "./helpers.js";

// semver: plain CommonJS sources; every exported function over versions × ranges × options.
describeDifferential("semver differential", {
  source: join(ROOT, "node_modules", "semver"),
  workload: "semver.mjs",
  traceSlice: 40,
  mention: /->range\.Range\.constructor$/,
  minFunctions: 140,
  minCases: 60_000,
});
