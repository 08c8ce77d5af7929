import { __ft as T, traced, addSink, removeSink } from "../../src/trace/index.js";
import { useMemorySink } from "../helpers/trace-harness.js";

/*
 * The host program must behave exactly as without tracing. Each case runs the same function
 * plain and traced (traced() and the generated-code contract) and compares what the caller sees.
 */

function outcome(run: () => unknown): { value?: unknown; error?: unknown } {
  try {
    return { value: run() };
  } catch (error) {
    return { error };
  }
}

describe("never breaks the host program", () => {
  const box = useMemorySink();

  it("should pass return values and thrown identity through traced()", () => {
    const boom = new RangeError("boom");
    const value = { v: 1 };
    const ok = traced("m.ok", () => value);
    const bad = traced("m.bad", () => {
      throw boom;
    });
    expect(ok()).toBe(value);
    expect(outcome(bad).error).toBe(boom);
    const thrownPrimitive = traced("m.prim", () => {
      throw 42;
    });
    expect(outcome(thrownPrimitive).error).toBe(42);
    expect(box.sink.finished.map((f) => [f.name, f.failed])).toEqual([
      ["m.ok", false],
      ["m.bad", true],
      ["m.prim", true],
    ]);
    expect(box.sink.finished[1].error).toBe(boom);
  });

  it("should pass rejections through with the same reason and keep the promise shape", async () => {
    const reason = new Error("rejected");
    const f = traced("m.reject", async () => {
      await null;
      throw reason;
    });
    const p = f();
    expect(p).toBeInstanceOf(Promise);
    await expect(p).rejects.toBe(reason);
    expect(box.sink.finished[0].failed).toBe(true);
    expect(box.sink.finished[0].error).toBe(reason);
  });

  it("should keep a sync function returning a value sync", () => {
    const f = traced("m.sync", () => 5);
    expect(f()).toBe(5);
  });

  it("should keep this, arguments and new.target", () => {
    let seen: { self?: unknown; args?: unknown[]; target?: unknown } = {};
    function Probe(this: unknown) {
      // eslint-disable-next-line prefer-rest-params
      seen = { self: this, args: Array.from(arguments), target: new.target };
    }
    const TracedProbe = traced(Probe as any) as any;
    const self = { k: 1 };
    TracedProbe.call(self, 1, "two");
    expect(seen).toEqual({ self, args: [1, "two"], target: undefined });
    const made = new TracedProbe(3);
    expect(seen.target).toBe(TracedProbe);
    expect(seen.self).toBe(made);
  });

  it("should keep getters and setters working through the contract", () => {
    const obj = {
      _v: 1,
      get v(): number {
        const t = T.enter("m.get v", "f", 1);
        try {
          return this._v;
        } finally {
          T.exit(t);
        }
      },
      set v(x: number) {
        const t = T.enter("m.set v", "f", 2);
        try {
          this._v = x;
        } finally {
          T.exit(t);
        }
      },
    };
    obj.v = 9;
    expect(obj.v).toBe(9);
    expect(box.sink.finished.map((f) => f.name)).toEqual(["m.set v", "m.get v"]);
  });

  it("should keep generator return() and throw() semantics", () => {
    function* plain() {
      try {
        yield 1;
        yield 2;
      } finally {
        // cleanup runs on return()
      }
    }
    const gen = traced("m.gen", plain)();
    expect(gen.next()).toEqual({ value: 1, done: false });
    expect(gen.return(7 as never)).toEqual({ value: 7, done: true });
    expect(gen.next()).toEqual({ value: undefined, done: true });
    const gen2 = traced("m.gen2", plain)();
    gen2.next();
    const err = new Error("into generator");
    expect(outcome(() => gen2.throw(err)).error).toBe(err);
    expect(box.sink.finished.map((f) => [f.name, f.failed])).toEqual([
      ["m.gen", false],
      ["m.gen2", true],
    ]);
    expect(Object.prototype.toString.call(traced("m.gen3", plain)())).toBe("[object Generator]");
  });

  it("should report a throwing sink once and keep the program running", () => {
    const failing = {
      onEnter() {
        throw new Error("sink exploded");
      },
    };
    addSink(failing);
    try {
      const f = traced("m.f", (x: number) => x + 1);
      expect(f(1)).toBe(2);
      expect(f(2)).toBe(3);
    } finally {
      removeSink(failing);
    }
    expect(box.diagnostics.filter((d) => d.includes("a sink failed in onEnter"))).toHaveLength(1);
    expect(box.sink.finished).toHaveLength(2);
  });

  it("should never throw from the contract entry points, even when misused", () => {
    expect(() => T.exit(undefined as any)).not.toThrow();
    expect(() => T.exit({} as any)).not.toThrow();
    expect(T.suspend(null as any, 5)).toBe(5);
    expect(T.resume(null as any, 6)).toBe(6);
    expect(() => T.fail(undefined as any, new Error("x"))).not.toThrow();
  });
});
