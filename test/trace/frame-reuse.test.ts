import {
  InMemorySink,
  RingRecorder,
  addSink,
  removeSink,
  trace,
  traced,
  type Frame,
  type Sink,
} from "../../src/trace/index.js";
import { resetDiagReports, setDiagLogger } from "../../src/trace/diag.js";

/*
 * Frame reuse (engine.ts): when every sink declares releasesFrames, a finished synchronous
 * call's Frame is parked on its caller and becomes its next callee's. What a sink is told must
 * not change, and nothing that can still hold a frame may see it become another call.
 */

/** A sink that declares releasesFrames and counts the distinct Frame objects it is shown. */
class IdentityCounter implements Sink {
  readonly releasesFrames = true;
  readonly objects = new Set<Frame>();
  exits: { id: number; name: string; parentId: number; depth: number }[] = [];
  onExit(frame: Frame): void {
    this.objects.add(frame);
    this.exits.push({ id: frame.id, name: frame.name, parentId: frame.parent?.id ?? 0, depth: frame.depth });
  }
}

function withSinks<T>(sinks: Sink[], fn: () => T): T {
  for (const s of sinks) addSink(s);
  try {
    return fn();
  } finally {
    for (const s of sinks) removeSink(s);
  }
}

const leaf = traced("reuse.leaf", (i: number) => i + 1);
const middle = traced("reuse.middle", (i: number) => leaf(i) + leaf(i));
const loop = traced("reuse.loop", (n: number) => {
  let a = 0;
  for (let i = 0; i < n; i++) a += middle(i);
  return a;
});

describe("frame reuse", () => {
  it("a loop of calls reuses its callees' frames, and every exit still reports its own call", () => {
    const counter = new IdentityCounter();
    const result = withSinks([counter], () => loop(100));
    expect(result).toBe((2 * (100 * 101)) / 2);
    expect(counter.exits).toHaveLength(1 + 100 * 3);
    // loop, one middle and two leaves' frames at most (the second leaf reuses the first's).
    expect(counter.objects.size).toBeLessThanOrEqual(4);
    const ids = counter.exits.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const byId = new Map(counter.exits.map((e) => [e.id, e]));
    for (const e of counter.exits) {
      if (e.name === "reuse.loop") continue;
      const parent = byId.get(e.parentId)!;
      expect(parent.name).toBe(e.name === "reuse.leaf" ? "reuse.middle" : "reuse.loop");
      expect(e.depth).toBe(parent.depth + 1);
      expect(parent.id).toBeGreaterThan(0);
    }
  });

  it("records the same calls with reuse (RingRecorder) as without it (InMemorySink beside it)", () => {
    const ring = new RingRecorder(1000);
    const memory = new InMemorySink();
    withSinks([ring, memory], () => loop(20));
    const alone = new RingRecorder(1000);
    withSinks([alone], () => loop(20));
    const shape = (r: RingRecorder) => {
      const calls = r.snapshot();
      const first = calls[0].id;
      return calls.map((c) => ({
        name: c.name,
        depth: c.depth,
        id: c.id - first,
        parent: c.parentId === 0 ? -1 : c.parentId - first,
      }));
    };
    expect(shape(alone)).toEqual(shape(ring));
  });

  it("is off while a sink keeps frames: every frame it was shown stays the call it was", () => {
    const memory = new InMemorySink();
    withSinks([memory], () => loop(10));
    const exits = memory.events.filter((e) => e.kind === "exit");
    expect(exits).toHaveLength(31);
    expect(new Set(exits.map((e) => e.frame)).size).toBe(31);
    expect(new Set(exits.map((e) => e.frame.id)).size).toBe(31);
    const names = exits.map((e) => e.frame.name);
    expect(names.filter((n) => n === "reuse.leaf")).toHaveLength(20);
    expect(names.filter((n) => n === "reuse.middle")).toHaveLength(10);
    for (const e of exits) expect(e.frame.closed).toBe(true);
  });

  it("never reuses the frame of a manual trace(): a second end() is ignored, not another call's end", () => {
    const warnings: string[] = [];
    resetDiagReports();
    setDiagLogger({ warn: (m: string) => warnings.push(m), error: () => undefined });
    const counter = new IdentityCounter();
    try {
      withSinks([counter], () => {
        const outer = trace("reuse.manual-outer");
        const end = trace("reuse.manual");
        end();
        // inner may take a parked frame, never the manual one: the second end() must not end inner.
        const inner = traced("reuse.inner", () => {
          end();
          return leaf(1);
        });
        inner();
        outer();
      });
    } finally {
      setDiagLogger(null);
    }
    expect(counter.exits.map((e) => e.name)).toEqual([
      "reuse.manual",
      "reuse.leaf",
      "reuse.inner",
      "reuse.manual-outer",
    ]);
    const inner = counter.exits[2];
    expect(counter.exits[1].parentId).toBe(inner.id);
    expect(counter.exits[1].depth).toBe(3);
    expect(warnings.some((w) => /ended twice/.test(w))).toBe(true);
  });

  it("keeps the frame of a caller whose async callee outlives it: the callee's parent span stays right", async () => {
    const counter = new IdentityCounter();
    const slow = traced("reuse.slow", async () => {
      await new Promise((r) => setTimeout(r, 5));
      return 1;
    });
    let pending: Promise<number> | undefined;
    // Returns before its async callee settles (a sync call: its exit comes first).
    const starter = traced("reuse.starter", () => {
      pending = slow();
      return 0;
    });
    const outer = traced("reuse.outer", () => {
      starter();
      for (let i = 0; i < 5; i++) leaf(i); // would take starter's frame if it were parked
      return pending;
    });
    addSink(counter);
    try {
      await outer();
    } finally {
      removeSink(counter);
    }
    const starterExit = counter.exits.find((e) => e.name === "reuse.starter")!;
    const slowExit = counter.exits.find((e) => e.name === "reuse.slow")!;
    expect(counter.exits.indexOf(starterExit)).toBeLessThan(counter.exits.indexOf(slowExit));
    expect(slowExit.parentId).toBe(starterExit.id);
  });

  it("a recursion deeper than the parking limit records every level, twice over", () => {
    const counter = new IdentityCounter();
    const down: (n: number) => number = traced("reuse.down", (n: number) => (n === 0 ? 0 : 1 + down(n - 1)));
    const twice = traced("reuse.twice", () => down(300) + down(300));
    expect(withSinks([counter], () => twice())).toBe(600);
    const downs = counter.exits.filter((e) => e.name === "reuse.down");
    expect(downs).toHaveLength(602);
    expect(Math.max(...downs.map((e) => e.depth))).toBe(302);
    const byId = new Map(counter.exits.map((e) => [e.id, e]));
    for (const e of downs) expect(byId.get(e.parentId)!.depth).toBe(e.depth - 1);
  });
});
