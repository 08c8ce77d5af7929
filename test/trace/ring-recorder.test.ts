import { RingRecorder, addSink, removeSink, traced } from "../../src/trace/index.js";

describe("RingRecorder", () => {
  it("should keep the last calls, oldest first, with ids, parents, flows and times", () => {
    const ring = new RingRecorder(4);
    addSink(ring);
    try {
      const inner = traced("r.inner", () => 1);
      const outer = traced("r.outer", () => inner() + inner());
      outer();
      outer();
    } finally {
      removeSink(ring);
    }
    expect(ring.total).toBe(6);
    const calls = ring.snapshot();
    expect(calls.map((c) => c.name)).toEqual(["r.outer", "r.inner", "r.inner", "r.outer"]);
    const [firstOuter, innerA, innerB, secondOuter] = calls;
    expect(innerA.parentId).toBe(secondOuter.id);
    expect(innerB.parentId).toBe(secondOuter.id);
    expect(innerA.depth).toBe(2);
    expect(secondOuter.flowId).not.toBe(firstOuter.flowId);
    for (const c of calls) expect(c.end).toBeGreaterThanOrEqual(c.start);
    expect(calls.every((c) => c.start > 0 && !c.failed)).toBe(true);
  });

  it("should return fewer records than capacity before it wraps", () => {
    const ring = new RingRecorder(8);
    addSink(ring);
    try {
      traced("r.one", () => 1)();
    } finally {
      removeSink(ring);
    }
    expect(ring.snapshot().map((c) => c.name)).toEqual(["r.one"]);
  });

  it("should keep a failed call's flag", () => {
    const ring = new RingRecorder(4);
    const boom = traced("r.boom", () => {
      throw new Error("boom");
    });
    addSink(ring);
    try {
      expect(() => boom()).toThrow("boom");
      traced("r.fine", () => 1)();
    } finally {
      removeSink(ring);
    }
    const [failed, fine] = ring.snapshot();
    expect([failed.name, failed.failed]).toEqual(["r.boom", true]);
    expect([fine.name, fine.failed]).toEqual(["r.fine", false]);
    expect(fine.id).toBeGreaterThan(failed.id);
  });
});
