import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, WORKLOADS, describeDifferential } from "./helpers.js";

// async: callbacks, `fn.length` (awaitify), AsyncFunction detection (wrapAsync) and parameter
// lists read from toString() (autoInject). The user functions async inspects live in
// __differential__/tasks.js inside the copy, instrumented along with the package.
const TASKS = "__differential__/tasks.js";
const sandbox = describeDifferential("async differential", {
  source: join(ROOT, "node_modules", "async"),
  workload: "async.mjs",
  extra: { [TASKS]: join(WORKLOADS, "async-tasks.cjs") },
  traceSlice: 2,
  mention: /->async\.\S+\.autoInject$/,
  minFunctions: 1_400,
  minCases: 3_500,
});

describe("async differential (user code)", () => {
  it("should have instrumented the user functions async inspects", () => {
    const text = readFileSync(join(sandbox().instrumented, TASKS), "utf8");
    expect(text).toContain('__ft.enter("tasks.injectTasks.tasks.c"');
    expect(text).toContain('__ft.enter("tasks.injectTasks.tasks.f"');
  });
});
