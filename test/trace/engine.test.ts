import { __ft } from "../../src/trace/index.js";
import { useMemorySink, assertFlowsNested } from "../helpers/trace-harness.js";

const T = __ft;

/** Hand-instrumented code exactly as the codemod emits it (docs/generated-code-contract.md). */
function leaf(x: number): number {
  const t = T.enter("m.leaf", "m.ts", 1);
  try {
    return x + 1;
  } catch (e) {
    T.fail(t, e);
    throw e;
  } finally {
    T.exit(t);
  }
}

function middle(x: number): number {
  const t = T.enter("m.middle", "m.ts", 2);
  try {
    return leaf(x) + leaf(x);
  } catch (e) {
    T.fail(t, e);
    throw e;
  } finally {
    T.exit(t);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function asyncLeaf(name: string, ms: number): Promise<string> {
  const t = T.enter(name, "m.ts", 3);
  try {
    T.resume(t, await T.suspend(t, sleep(ms)));
    leaf(1);
    return name;
  } catch (e) {
    T.fail(t, e);
    throw e;
  } finally {
    T.exit(t);
  }
}

async function asyncParent(): Promise<string[]> {
  const t = T.enter("m.parent", "m.ts", 4);
  try {
    const first = T.resume(t, await T.suspend(t, asyncLeaf("m.a", 5)));
    const both = T.resume(t, await T.suspend(t, Promise.all([asyncLeaf("m.b", 10), asyncLeaf("m.c", 5)])));
    leaf(2);
    return [first, ...both];
  } catch (e) {
    T.fail(t, e);
    throw e;
  } finally {
    T.exit(t);
  }
}

describe("engine", () => {
  const box = useMemorySink();

  it("should record a synchronous chain with depths in one flow", () => {
    expect(middle(1)).toBe(4);
    expect(box.sink.lines()).toEqual([
      "g[01]:    ->m.middle".replace("01", id(box, 0)),
      `g[${id(box, 0)}]:        ->m.leaf`,
      `g[${id(box, 0)}]:        <-m.leaf`,
      `g[${id(box, 0)}]:        ->m.leaf`,
      `g[${id(box, 0)}]:        <-m.leaf`,
      `g[${id(box, 0)}]:    <-m.middle`,
    ]);
  });

  it("should start a new flow for each untraced top-level call", () => {
    middle(1);
    middle(2);
    const flows = new Set(box.sink.events.map((e) => e.frame.flow.id));
    expect(flows.size).toBe(2);
  });

  it("should keep async chains nested per flow and fork concurrent siblings", async () => {
    await expect(asyncParent()).resolves.toEqual(["m.a", "m.b", "m.c"]);
    const byFlow = assertFlowsNested(box.sink.lines());
    const frames = box.sink.finished;
    const parent = frames.find((f) => f.name === "m.parent")!;
    const a = frames.find((f) => f.name === "m.a")!;
    const b = frames.find((f) => f.name === "m.b")!;
    const c = frames.find((f) => f.name === "m.c")!;
    expect(a.flow).toBe(parent.flow);
    expect(b.flow).toBe(parent.flow);
    expect(c.flow).not.toBe(parent.flow);
    expect(c.flow.parentId).toBe(parent.flow.id);
    expect([a.parent, b.parent, c.parent]).toEqual([parent, parent, parent]);
    expect(c.depth).toBe(2);
    expect(byFlow.size).toBe(2);
    const lastLeaf = frames.filter((f) => f.name === "m.leaf").pop()!;
    expect(lastLeaf.parent).toBe(parent);
  });

  it("should restore the caller's frame at the first await", async () => {
    const t = T.enter("m.caller", "m.ts", 9);
    const pending = asyncLeaf("m.slow", 5);
    leaf(0); // runs while m.slow is suspended: must be a child of m.caller, not of m.slow
    T.exit(t);
    await pending;
    const leaf0 = box.sink.finished.find((f) => f.name === "m.leaf" && f.parent?.name === "m.caller");
    expect(leaf0).toBeDefined();
  });

  it("should file a timer callback as a new flow at depth 1, linked to the scheduling flow and call", async () => {
    await new Promise<void>((done) => {
      const t = T.enter("m.scheduler", "m.ts", 10);
      try {
        setTimeout(() => {
          leaf(5);
          done();
        }, 1);
      } finally {
        T.exit(t);
      }
    });
    const scheduler = box.sink.finished.find((f) => f.name === "m.scheduler")!;
    const cb = box.sink.finished.find((f) => f.name === "m.leaf")!;
    expect(cb.flow).not.toBe(scheduler.flow);
    expect(cb.flow.parentId).toBe(scheduler.flow.id);
    expect(cb.flow.fromSpanId).toBe(scheduler.id);
    expect(cb.flow.fromName).toBe("m.scheduler");
    expect(cb.depth).toBe(1);
  });

  it("should record a thrown error and rethrow the same object", () => {
    const boom = new Error("boom");
    const thrower = () => {
      const t = T.enter("m.thrower", "m.ts", 11);
      try {
        throw boom;
      } catch (e) {
        T.fail(t, e);
        throw e;
      } finally {
        T.exit(t);
      }
    };
    let caught: unknown;
    try {
      thrower();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(boom);
    const frame = box.sink.finished[0];
    expect(frame.failed).toBe(true);
    expect(frame.error).toBe(boom);
    expect(middle(1)).toBe(4);
    expect(box.sink.finished[1].depth).toBe(2);
  });
});

function id(box: ReturnType<typeof useMemorySink>, index: number): string {
  return String(box.sink.events[index].flowId).padStart(2, "0");
}

describe("flow handoff", () => {
  const box = useMemorySink();

  async function detachedChild(): Promise<number> {
    const t = T.enter("h.child", "h.ts", 1);
    try {
      T.resume(t, await T.suspend(t, sleep(2)));
      leaf(1);
      return 1;
    } finally {
      T.exit(t);
    }
  }

  function caller(): Promise<number> {
    const t = T.enter("h.caller", "h.ts", 2);
    try {
      return detachedChild(); // handed back without being awaited: it outlives its caller
    } finally {
      T.exit(t);
    }
  }

  it("should move an async call that outlives its caller to a new flow, keeping every flow nested", async () => {
    await caller();
    const lines = box.sink.lines();
    const byFlow = assertFlowsNested(lines);
    expect(byFlow.size).toBe(2);
    const [first, second] = [...byFlow.values()];
    const f1 = id(box, 0);
    const f2 = second[0].match(/^g\[(\d+)\]/)![1];
    expect(first).toEqual([
      `g[${f1}]:    ->h.caller`,
      `g[${f1}]:        ->h.child`,
      `g[${f1}]:        <-h.child ~> g[${f2}]`,
      `g[${f1}]:    <-h.caller`,
    ]);
    expect(second).toEqual([
      // In its new flow, the call that outlived its caller starts at depth 1.
      `g[${f2}]:    ->h.child <~ g[${f1}]`,
      `g[${f2}]:        ->m.leaf`,
      `g[${f2}]:        <-m.leaf`,
      `g[${f2}]:    <-h.child`,
    ]);
    const child = box.sink.finished.find((f) => f.name === "h.child")!;
    const callerFrame = box.sink.finished.find((f) => f.name === "h.caller")!;
    expect(child.flow.parentId).toBe(callerFrame.flow.id);
    expect(child.flow.fromSpanId).toBe(callerFrame.id);
  });

  it("should not hand over an async call its caller awaits", async () => {
    await asyncParent();
    expect(box.sink.events.some((e) => e.kind === "leave")).toBe(false);
  });
});
