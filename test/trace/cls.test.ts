import { createNamespace, destroyNamespace, traced, currentFlow } from "../../src/trace/index.js";
import { useMemorySink } from "../helpers/trace-harness.js";

describe("cls-hooked namespaces", () => {
  const box = useMemorySink();
  afterEach(() => destroyNamespace("request"));

  it("should see a value set inside a traced flow in its callees and continuations", async () => {
    const ns = createNamespace("request");
    const seen: unknown[] = [];
    const callee = traced("cls.callee", async () => {
      seen.push(ns.get("user"));
      await new Promise((r) => setTimeout(r, 1));
      seen.push(ns.get("user"));
      return currentFlow()!.depth;
    });
    const handler = traced("cls.handler", async (user: string) => {
      ns.set("user", user);
      const depth = await callee();
      seen.push(ns.get("user"));
      return depth;
    });
    const depths = await Promise.all(["ann", "bob"].map((u) => ns.runPromise(() => handler(u))));
    expect(depths).toEqual([2, 2]);
    expect(seen.sort()).toEqual(["ann", "ann", "ann", "bob", "bob", "bob"]);
    expect(box.sink.finished.filter((f) => f.name === "cls.callee")).toHaveLength(2);
  });

  it("should keep namespace values apart from the tracer's own context", () => {
    const ns = createNamespace("request");
    const f = traced("cls.sync", () => ns.get("k"));
    expect(
      ns.runAndReturn(() => {
        ns.set("k", 1);
        return f();
      }),
    ).toBe(1);
    expect(currentFlow()).toBeUndefined();
  });
});
