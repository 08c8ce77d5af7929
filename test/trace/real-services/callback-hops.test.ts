import { traced } from "../../../src/trace/index.js";
import { useMemorySink, assertFlowsNested } from "../../helpers/trace-harness.js";

/**
 * A test runner's shape: each test starts from the previous test's callback (setImmediate after
 * the work is done), 10,000 times. Every hop's scheduler has returned, so every test is a flow
 * of its own at depth 1: the tree grows linearly, not quadratically.
 */
const leaf = traced("runner.leaf", (x: number) => x + 1);

describe("a test-runner-shaped chain of callback hops", () => {
  const box = useMemorySink();

  it("stays at depth <= 2 over 10,000 hops, with a tree that grows linearly", async () => {
    const hops = 10_000;
    let i = 0;
    const work = traced("runner.work", (done: () => void) => {
      leaf(i);
      done();
    });
    await new Promise<void>((finished) => {
      const runNext = (): void => {
        if (i++ < hops) work(() => setImmediate(runNext));
        else finished();
      };
      runNext();
    });
    const lines = box.sink.lines();
    expect(lines).toHaveLength(hops * 4); // work and leaf, enter and exit, per hop
    const depths = box.sink.events.map((e) => e.depth);
    expect(Math.max(...depths)).toBe(2);
    // Linear: every line is as short as the first one's kind (no indentation creep).
    const longest = Math.max(...lines.map((l) => l.length));
    expect(longest).toBeLessThan(40);
    const flows = assertFlowsNested(lines);
    expect(flows.size).toBe(hops);
  });

  it("keeps the link to where each hop came from, and lets finished hops go", async () => {
    const seen: number[] = [];
    const hop = traced("runner.hop", (n: number, done: () => void) => {
      if (n === 0) return done();
      setImmediate(() => hop(n - 1, done));
    });
    await new Promise<void>((done) => hop(50, done));
    const frames = box.sink.finished.filter((f) => f.name === "runner.hop");
    expect(frames).toHaveLength(51);
    for (let k = 1; k < frames.length; k++) {
      seen.push(frames[k].depth);
      expect(frames[k].flow.parentId).toBe(frames[k - 1].flow.id);
      expect(frames[k].flow.fromSpanId).toBe(frames[k - 1].id);
      // The hop's parent (a finished call of another flow) is released once it is reported.
      expect(frames[k].parent).toBeNull();
    }
    expect(new Set(seen)).toEqual(new Set([1]));
  });

  it("keeps a concurrent branch of a still-open call nested under it", async () => {
    const child = traced("runner.child", async () => {
      await new Promise((r) => setTimeout(r, 2));
      return leaf(1);
    });
    const parent = traced("runner.parent", async () => Promise.all([child(), child()]));
    await parent();
    const kids = box.sink.finished.filter((f) => f.name === "runner.child");
    expect(kids.map((k) => k.depth)).toEqual([2, 2]);
  });
});
