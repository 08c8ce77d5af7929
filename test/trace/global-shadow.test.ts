import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");

describe("a program whose top-level script shadows a global functrace reads", () => {
  // `node -e` / REPL-style scripts put top-level `const` bindings in the global lexical scope,
  // where every module's free `performance` finds them first: functrace takes its clock from
  // node:perf_hooks instead (it once threw at load: "performance is not defined").
  it("loads, prints and exports with `const performance` declared at the top of the script", () => {
    const script = `
      const ft = require(${JSON.stringify(join(ROOT, "dist/cjs/index.js"))});
      const memory = new ft.MemorySpanExporter();
      ft.configure({ printer: true, exporters: [memory] });
      const add = ft.traced("shadow.add", (a, b) => a + b);
      const sum = add(2, 3);
      ft.flush().then(() => console.log("sum", sum, "spans", memory.spans.length, performance, Number.isFinite(memory.spans[0].end - memory.spans[0].start)));
      // declared after functrace loaded: until this line the binding is in its temporal dead zone
      const performance = "the program's own";
    `;
    const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 30_000, env: { ...process.env, FUNCTRACE: "", FUNCTRACE_OUTPUT: "" } });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("g[01]:    ->shadow.add\ng[01]:    <-shadow.add"); // the tree goes to stderr
    expect(run.stdout).toBe("sum 5 spans 1 the program's own true\n");
  });
});
