import { configure, ConfigError, traced, getFilters } from "../../src/trace/index.js";
import { useMemorySink } from "../helpers/trace-harness.js";
import { runNode } from "../helpers/run-node.js";

describe("configure", () => {
  const box = useMemorySink();
  afterEach(() => configure({ enabled: true, include: null, exclude: null, maxDepth: null, sampleRatio: null }));

  it("should list every invalid field and change nothing", () => {
    const before = getFilters();
    let error: unknown;
    try {
      configure({ maxDepth: 0, sampleRatio: 2, minDurationMs: -1, include: [42 as never], printer: 5 as never });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      "include[0]: expected a string or RegExp",
      "maxDepth: expected an integer >= 1, got 0",
      "minDurationMs: expected a number >= 0, got -1",
      "sampleRatio: expected a number in [0, 1], got 2",
      "printer: expected a boolean or printer options",
    ]);
    expect(getFilters()).toBe(before);
  });

  it("should switch tracing off and on while the program runs", () => {
    const f = traced("c.f", () => 1);
    configure({ enabled: false });
    f();
    configure({ enabled: true });
    f();
    expect(box.sink.finished).toHaveLength(1);
  });

  it("should hide excluded names and calls deeper than maxDepth, keeping the tree", () => {
    const leaf = traced("c.leaf", () => 1);
    const noisy = traced("c.noisy", () => leaf());
    const root = traced("c.root", () => noisy() + leaf());
    configure({ exclude: ["*.noisy"] });
    root();
    const names = box.sink.finished.map((f) => f.name);
    expect(names).toEqual(["c.leaf", "c.leaf", "c.root"]);
    expect(box.sink.finished[0].depth).toBe(3);
    box.sink.reset();
    configure({ exclude: [], maxDepth: 2 });
    root();
    expect(box.sink.finished.map((f) => f.name)).toEqual(["c.noisy", "c.leaf", "c.root"]);
  });

  it("should sample whole root flows", () => {
    const child = traced("c.child", () => 1);
    const root = traced("c.root", () => child());
    configure({ sampleRatio: 0 });
    for (let i = 0; i < 20; i++) root();
    expect(box.sink.finished).toHaveLength(0);
    configure({ sampleRatio: 0.5 });
    for (let i = 0; i < 400; i++) root();
    const roots = box.sink.finished.filter((f) => f.name === "c.root").length;
    expect(roots).toBeGreaterThan(100);
    expect(roots).toBeLessThan(300);
    expect(box.sink.finished.filter((f) => f.name === "c.child")).toHaveLength(roots);
  });

  it("should read filters from FUNCTRACE_* variables and report bad ones once", () => {
    const code = `const { traced } = require("functrace");
      const leaf = traced("e.leaf", () => 1);
      traced("e.root", () => traced("e.skip", () => leaf())())();`;
    const ok = runNode(["-e", code], { FUNCTRACE: "on", FUNCTRACE_EXCLUDE: "e.skip" });
    expect(ok.stderr).toBe("g[01]:    ->e.root\ng[01]:            ->e.leaf\ng[01]:            <-e.leaf\ng[01]:    <-e.root\n");
    const bad = runNode(["-e", code], { FUNCTRACE: "on", FUNCTRACE_MAX_DEPTH: "zero" });
    expect(bad.stderr).toContain("ignoring invalid FUNCTRACE_* filter settings: maxDepth: expected an integer >= 1, got NaN");
    expect(bad.stderr).toContain("->e.leaf");
  });
});

describe("configure with null", () => {
  useMemorySink();
  it("should clear a filter", () => {
    configure({ include: ["x.*"], maxDepth: 3 });
    expect(getFilters()).toEqual({ include: ["x.*"], maxDepth: 3 });
    configure({ include: null });
    expect(getFilters()).toEqual({ maxDepth: 3 });
    configure({ maxDepth: null });
    expect(getFilters()).toEqual({});
  });
});
