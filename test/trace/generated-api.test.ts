import { __ft, NOOP_API, addSink, removeSink, setEnabled, currentFlow, InMemorySink, createNamespace } from "../../src/trace/index.js";
import { S } from "../../src/trace/state.js";
import { NOOP_FRAME } from "../../src/trace/frame.js";

/*
 * Nothing configured costs what FUNCTRACE=off costs: `__ft`'s methods are the no-op twin's until
 * tracing becomes active (a sink, an exporter, configure({ enabled: true }), FUNCTRACE=flows),
 * and the live ones from then on; going inactive again swaps `enter` back only.
 */
describe("__ft, the swappable hook object", () => {
  afterEach(() => {
    S.cursor.cur = null;
  });

  it("should start as the no-op twin when nothing is configured", () => {
    expect(S.active).toBe(false);
    for (const key of ["enter", "exit", "fail", "suspend", "resume", "iter"] as const) expect(__ft[key]).toBe(NOOP_API[key]);
    expect(__ft.enter("a.f", "a.ts", 1)).toBe(NOOP_FRAME);
    expect(currentFlow()).toBeUndefined();
  });

  it("should keep the cls API working with nothing configured", () => {
    const ns = createNamespace("generated-api-test");
    const seen = ns.runAndReturn(() => {
      ns.set("k", 42);
      return ns.get("k");
    });
    expect(seen).toBe(42);
  });

  it("should still end a call entered while active when tracing goes inactive before its exit", () => {
    const sink = new InMemorySink();
    addSink(sink);
    const outer = __ft.enter("a.outer", "a.ts", 1);
    const suspended = __ft.enter("a.async", "a.ts", 2);
    __ft.suspend(suspended, undefined);
    removeSink(sink);
    expect(__ft.enter("a.later", "a.ts", 3)).toBe(NOOP_FRAME);
    __ft.resume(suspended);
    __ft.exit(suspended);
    __ft.exit(outer);
    expect(S.cursor.cur).toBeNull();
    expect([outer.closed, suspended.closed]).toEqual([true, true]);
    expect(sink.finished).toEqual([]);
    addSink(sink);
    try {
      expect(__ft.enter).not.toBe(NOOP_API.enter);
      __ft.exit(__ft.enter("a.again", "a.ts", 4));
      expect(sink.finished.map((f) => f.name)).toEqual(["a.again"]);
    } finally {
      removeSink(sink);
    }
  });

  // last: setEnabled(false) stays off for the rest of the file
  it("should track flows once enabled with no sink (currentFlow), and go back to the twin's enter", () => {
    setEnabled(true);
    try {
      expect(__ft.enter).not.toBe(NOOP_API.enter);
      const t = __ft.enter("a.f", "a.ts", 1);
      const info = currentFlow();
      expect(info).toMatchObject({ name: "a.f", depth: 1 });
      expect(info?.flowId).toBeGreaterThan(0);
      __ft.exit(t);
      expect(currentFlow()).toBeUndefined();
    } finally {
      setEnabled(false);
    }
    expect(__ft.enter).toBe(NOOP_API.enter);
    expect(__ft.exit).not.toBe(NOOP_API.exit);
  });
});
