import { __ft as T, currentFlow } from "../../src/trace/index.js";
import { useMemorySink } from "../helpers/trace-harness.js";

/* Generators written exactly as functrace-gen emits them (docs/generated-code-contract.md). */

function leaf(name: string): number {
  const t = T.enter(name, "g.ts", 1);
  try {
    return currentFlow()!.depth;
  } finally {
    T.exit(t);
  }
}

function* counter(n: number): Generator<number, string, number | undefined> {
  const t = T.enter("counter", "g.ts", 2);
  try {
    for (let i = 0; i < n; i++) {
      const got = T.resume(t, yield T.suspend(t, leaf(`step${i}`)));
      if (got !== undefined) leaf(`got${got}`);
    }
    return "done";
  } catch (e) {
    T.resume(t);
    T.fail(t, e);
    throw e;
  } finally {
    T.resume(t);
    T.exit(t);
  }
}

async function* ticker(n: number): AsyncGenerator<number> {
  const t = T.enter("ticker", "g.ts", 3);
  try {
    for (let i = 0; i < n; i++) {
      T.resume(t, await T.suspend(t, new Promise<void>((r) => setTimeout(r, 1))));
      T.resume(t, yield T.suspend(t, leaf(`tick${i}`)));
    }
  } finally {
    T.resume(t);
    T.exit(t);
  }
}

describe("generators", () => {
  const box = useMemorySink();

  it("should nest the body's callees under the generator on every resumption", () => {
    const caller = T.enter("caller", "g.ts", 4);
    const gen = counter(3);
    expect(gen.next().value).toBe(3); // caller(1) > counter(2) > step0(3)
    leaf("between"); // the caller's own callee: depth 2, not inside the generator
    expect(gen.next(7).value).toBe(3);
    expect(gen.next().value).toBe(3);
    expect(gen.next()).toEqual({ value: "done", done: true });
    T.exit(caller);
    const names = (n: string) => box.sink.finished.find((f) => f.name === n)!;
    expect(names("between").parent).toBe(names("caller"));
    expect(names("got7").parent).toBe(names("counter"));
    expect(names("step2").parent).toBe(names("counter"));
    expect(names("counter").parent).toBe(names("caller"));
  });

  it("should end the span on return() while suspended, without touching the caller's frame", () => {
    const caller = T.enter("caller", "g.ts", 5);
    const gen = counter(5);
    gen.next();
    expect(gen.return("early")).toEqual({ value: "early", done: true });
    leaf("afterReturn");
    T.exit(caller);
    const names = (n: string) => box.sink.finished.find((f) => f.name === n)!;
    expect(names("counter").closed).toBe(true);
    expect(names("afterReturn").parent).toBe(names("caller"));
  });

  it("should record throw() into the generator and pass the same error out", () => {
    const gen = counter(2);
    gen.next();
    const err = new Error("thrown in");
    expect(() => gen.throw(err)).toThrow(err);
    const span = box.sink.finished.find((f) => f.name === "counter")!;
    expect(span.failed).toBe(true);
    expect(span.error).toBe(err);
  });

  it("should keep async generator resumptions in the generator's frame", async () => {
    const seen: number[] = [];
    const caller = T.enter("consumer", "g.ts", 6);
    const it = ticker(2);
    const first = it.next();
    leaf("whileWaiting");
    T.exit(caller);
    seen.push((await first).value as number);
    seen.push((await it.next()).value as number);
    expect((await it.next()).done).toBe(true);
    // The generator outlived its caller: it continues in a new flow, at depth 1 there.
    expect(seen).toEqual([2, 2]);
    const names = (n: string) => box.sink.finished.find((f) => f.name === n)!;
    expect(names("whileWaiting").parent).toBe(names("consumer"));
    expect(names("tick1").parent).toBe(names("ticker"));
  });
});
