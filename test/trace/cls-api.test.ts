import cls, { createNamespace, getNamespace, getNamespaces, reset, ERROR_SYMBOL, destroyNamespace, traced } from "../../src/index.js";

/** Code written against cls-hooked runs unchanged against functrace (issue 9, item 8). */
describe("the cls-hooked API in full", () => {
  afterEach(() => reset());

  it("has the default export with the same functions as the named exports", () => {
    expect(cls.createNamespace).toBe(createNamespace);
    expect(cls.getNamespace).toBe(getNamespace);
    expect(cls.getNamespaces).toBe(getNamespaces);
    expect(cls.reset).toBe(reset);
    expect(cls.ERROR_SYMBOL).toBe(ERROR_SYMBOL);
    expect(ERROR_SYMBOL).toBe("error@context"); // as in cls-hooked
  });

  it("lists namespaces, and reset() forgets them all", () => {
    createNamespace("a");
    createNamespace("b");
    expect(Object.keys(getNamespaces()).sort()).toEqual(["a", "b"]);
    reset();
    expect(getNamespace("a")).toBeUndefined();
    expect(Object.keys(getNamespaces())).toEqual([]);
    destroyNamespace("missing"); // no throw
  });

  it("keeps values across await and marks errors thrown in run() with the context (ERROR_SYMBOL)", async () => {
    const ns = cls.createNamespace("req");
    const seen = await ns.runPromise(async () => {
      ns.set("id", 42);
      await new Promise((r) => setTimeout(r, 2));
      return ns.get("id");
    });
    expect(seen).toBe(42);
    const boom = new Error("boom");
    expect(() =>
      ns.run(() => {
        ns.set("who", "me");
        throw boom;
      }),
    ).toThrow(boom);
    const context = (boom as unknown as Record<string, { who?: string }>)[ERROR_SYMBOL];
    expect(context?.who).toBe("me");
  });
});

describe("traced() with hostile name and length getters", () => {
  it("copes: the wrapper works and keeps what it can", () => {
    const fn = (a: number, b: number) => a + b;
    Object.defineProperty(fn, "name", {
      get() {
        throw new Error("no name for you");
      },
    });
    Object.defineProperty(fn, "length", {
      get() {
        throw new Error("no length either");
      },
    });
    let wrapped: ((a: number, b: number) => number) | undefined;
    expect(() => (wrapped = traced(fn))).not.toThrow();
    expect(wrapped!(2, 3)).toBe(5);
  });
});
