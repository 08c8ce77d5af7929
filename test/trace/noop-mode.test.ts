import { runNode } from "../helpers/run-node.js";

/* These load the built package (dist/) the way users do: by its name, through the exports map. */

const probe = (loader: string) => `
  const m = ${loader};
  const t = m.__ft.enter("x", "f", 1);
  m.__ft.exit(t);
  const out = { isNoop: m.isNoop, token: t && t.id, same: m.__ft.enter === m.__ft.enter, sinks: m.getSinks().length,
    traced: m.traced(function f(a, b) { return a + b; })(1, 2), end: typeof m.trace() };
  console.log(JSON.stringify(out));`;

describe("no-op mode", () => {
  it("should load the empty twin under the functrace-off condition (require)", () => {
    const r = runNode(["--conditions=functrace-off", "-e", probe('require("functrace")')], {
      FUNCTRACE: "on",
    });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({
      isNoop: true,
      token: 0,
      same: true,
      sinks: 0,
      traced: 3,
      end: "function",
    });
  });

  it("should load the empty twin under the functrace-off condition (import)", () => {
    const code = `import("functrace").then((mod) => { ${probe("mod")} })`;
    const r = runNode(["--conditions=functrace-off", "-e", code], { FUNCTRACE: "on" });
    expect(JSON.parse(r.stdout).isNoop).toBe(true);
    expect(r.stderr).toBe("");
  });

  it("should make every entry point the no-op twin with FUNCTRACE=off", () => {
    const r = runNode(
      [
        "-e",
        probe('require("functrace")') +
          `
      const api = require("${require.resolve("../../dist/cjs/trace/noop-api.js").replace(/\\/g, "/")}");
      console.log(m.__ft === api.NOOP_API);`,
      ],
      { FUNCTRACE: "off" },
    );
    const [first, second] = r.stdout.trim().split("\n");
    expect(JSON.parse(first)).toMatchObject({ isNoop: false, token: 0, sinks: 0, traced: 3 });
    expect(second).toBe("true");
    expect(r.stderr).toBe("");
  });

  it("should load the real module without the condition and trace with FUNCTRACE=on", () => {
    const r = runNode(["-e", probe('require("functrace")')], { FUNCTRACE: "on" });
    const out = JSON.parse(r.stdout);
    expect(out.isNoop).toBe(false);
    expect(out.token).toBeGreaterThan(0);
    expect(r.stderr).toContain("g[01]:    ->x");
  });
});

describe("dual package", () => {
  it("should share one engine and one printer when both the CJS and the ESM build load", () => {
    const code = `const cjs = require("functrace");
      import("functrace").then((esm) => {
        cjs.traced("dual.cjs", () => esm.traced("dual.esm", () => 1)())();
        console.log(String(cjs.getSinks().length === esm.getSinks().length));
      });`;
    const r = runNode(["-e", code], { FUNCTRACE: "on" });
    expect(r.stdout).toBe("true\n");
    expect(r.stderr).toBe("g[01]:    ->dual.cjs\ng[01]:        ->dual.esm\ng[01]:        <-dual.esm\ng[01]:    <-dual.cjs\n");
  });
});
