import { EventEmitter } from "node:events";
import { Readable } from "node:stream";
import { __ft as T } from "../../src/trace/index.js";
import type { Frame } from "../../src/trace/frame.js";
import { useMemorySink, assertFlowsNested } from "../helpers/trace-harness.js";

/* Code written exactly as functrace-gen emits it (docs/generated-code-contract.md). */

function leaf(name: string): void {
  const t = T.enter(name, "b.ts", 1);
  try {
    /* work */
  } finally {
    T.exit(t);
  }
}

/** A traced sync function that schedules `schedule(callback)` and returns. */
function scheduler(name: string, schedule: (cb: () => void) => void, done: () => void): void {
  const t = T.enter(name, "b.ts", 2);
  try {
    schedule(() => {
      leaf(`${name}.callback`);
      done();
    });
  } finally {
    T.exit(t);
  }
}

function find(frames: Frame[], name: string): Frame {
  const f = frames.find((x) => x.name === name);
  if (!f) throw new Error(`no span ${name}; have ${frames.map((x) => x.name).join(", ")}`);
  return f;
}

describe("async boundaries", () => {
  const box = useMemorySink();

  const boundaries: [string, (cb: () => void) => void][] = [
    ["setTimeout", (cb) => setTimeout(cb, 1)],
    ["setImmediate", (cb) => setImmediate(cb)],
    ["nextTick", (cb) => process.nextTick(cb)],
    ["queueMicrotask", (cb) => queueMicrotask(cb)],
    ["then", (cb) => void Promise.resolve().then(cb)],
  ];

  it.each(boundaries)(
    "should fork a flow for a %s callback at depth 1, linked to its scheduler",
    async (label, schedule) => {
      await new Promise<void>((done) => scheduler(label, schedule, done));
      const sched = find(box.sink.finished, label);
      const cb = find(box.sink.finished, `${label}.callback`);
      expect(cb.flow).not.toBe(sched.flow);
      expect(cb.flow.parentId).toBe(sched.flow.id);
      expect(cb.flow.fromSpanId).toBe(sched.id);
      // The scheduler had returned: the callback's flow starts at depth 1, however deep it was.
      expect(cb.depth).toBe(1);
    },
  );

  it("should run a synchronous EventEmitter listener inside the emitting call", () => {
    const emitter = new EventEmitter();
    emitter.on("x", () => leaf("listener"));
    const t = T.enter("emitter", "b.ts", 3);
    try {
      emitter.emit("x");
    } finally {
      T.exit(t);
    }
    const listener = find(box.sink.finished, "listener");
    expect(listener.parent).toBe(find(box.sink.finished, "emitter"));
    expect(listener.flow).toBe(listener.parent!.flow);
  });

  it("should give listeners of one event that belong to different flows their own scheduler", async () => {
    const emitter = new EventEmitter();
    const fired: Promise<void>[] = [];
    for (const name of ["flowA", "flowB"]) {
      fired.push(new Promise<void>((done) => scheduler(name, (cb) => emitter.once("go", cb), done)));
    }
    setTimeout(() => emitter.emit("go"), 1);
    await Promise.all(fired);
    // The emit comes from an untraced timer: each listener starts a flow of its own.
    const a = find(box.sink.finished, "flowA.callback");
    const b = find(box.sink.finished, "flowB.callback");
    expect(a.flow).not.toBe(b.flow);
    assertFlowsNested(box.sink.lines());
  });

  it("should keep stream-driven async work nested per flow", async () => {
    async function consume(id: number): Promise<number> {
      const t = T.enter(`consume${id}`, "b.ts", 4);
      try {
        let n = 0;
        for await (const chunk of T.iter(t, Readable.from(["a", "b", "c"]))) {
          T.resume(t);
          leaf(`chunk${id}.${chunk}`);
          n++;
        }
        T.resume(t);
        leaf(`after${id}`);
        return n;
      } catch (e) {
        T.fail(t, e);
        throw e;
      } finally {
        T.exit(t);
      }
    }
    async function all(): Promise<number[]> {
      const t = T.enter("all", "b.ts", 5);
      try {
        return T.resume(t, await T.suspend(t, Promise.all([consume(1), consume(2), consume(3)])));
      } finally {
        T.exit(t);
      }
    }
    expect(await all()).toEqual([3, 3, 3]);
    const byFlow = assertFlowsNested(box.sink.lines());
    expect(byFlow.size).toBe(3);
    for (const id of [1, 2, 3]) {
      const consumer = find(box.sink.finished, `consume${id}`);
      for (const name of [`chunk${id}.a`, `chunk${id}.c`, `after${id}`]) {
        expect(find(box.sink.finished, name).parent).toBe(consumer);
      }
    }
  });

  it("should not leak a suspended frame into the caller at the implicit awaits of for await", async () => {
    async function* source() {
      yield 1;
      await new Promise((r) => setTimeout(r, 2));
      yield 2;
    }
    async function loop(): Promise<void> {
      const t = T.enter("loop", "b.ts", 6);
      try {
        for await (const v of T.iter(t, source())) {
          T.resume(t);
          leaf(`item${v}`);
        }
        T.resume(t);
      } finally {
        T.exit(t);
      }
    }
    const outer = T.enter("outer", "b.ts", 7);
    const pending = loop();
    leaf("sibling"); // runs while loop() waits inside the for await head
    T.exit(outer);
    await pending;
    expect(find(box.sink.finished, "sibling").parent).toBe(find(box.sink.finished, "outer"));
    expect(find(box.sink.finished, "item2").parent).toBe(find(box.sink.finished, "loop"));
  });
});
