import { copyBag, createBag, MutableBag, StringMap, IpAddress, valuesEqual, Timestamp } from "../../../src/mixer/attribute/index.js";

describe("MutableBag", () => {
  test("child reads through to parent; delete only removes the override", () => {
    const parent = createBag({ a: "p", b: 1n });
    const child = new MutableBag(parent);
    expect(child.get("a")).toBe("p");
    child.set("a", "c");
    expect(child.get("a")).toBe("c");
    expect(parent.get("a")).toBe("p");
    expect(child.delete("a")).toBe(true);
    expect(child.get("a")).toBe("p");
    expect(child.has("b")).toBe(true);
    expect(child.has("zz")).toBe(false);
  });

  test("names are own + parent, de-duplicated", () => {
    const child = createBag({ a: "x", c: true }, createBag({ a: "p", b: 1n }));
    expect(child.names().sort()).toEqual(["a", "b", "c"]);
    expect(child.ownNames().sort()).toEqual(["a", "c"]);
  });

  test("reset makes the child look like its parent", () => {
    const child = createBag({ a: "x" }, createBag({ b: 2n }));
    child.reset();
    expect(child.names()).toEqual(["b"]);
  });

  test("merge copies other's own values only for names not already present", () => {
    const target = createBag({ a: "keep" }, createBag({ p: "parent" }));
    const other = createBag({ a: "lose", p: "lose", n: "new" }, createBag({ hidden: "x" }));
    target.merge(other);
    expect(target.get("a")).toBe("keep");
    expect(target.get("p")).toBe("parent");
    expect(target.get("n")).toBe("new");
    expect(target.has("hidden")).toBe(false);
  });

  test("merge deep-copies maps and bytes", () => {
    const src = createBag({ m: new StringMap({ k: "v" }), ip: new IpAddress(Uint8Array.from([1, 2, 3, 4])) });
    const dst = new MutableBag();
    dst.merge(src);
    expect(dst.get("m")).not.toBe(src.get("m"));
    expect(valuesEqual(dst.get("m"), src.get("m"))).toBe(true);
    expect(valuesEqual(dst.get("ip"), src.get("ip"))).toBe(true);
  });

  test("set rejects non-attribute values with TypeError", () => {
    const b = new MutableBag();
    expect(() => b.set("x", {} as never)).toThrow(TypeError);
    expect(() => b.set("x", null as never)).toThrow("invalid type for attribute 'x': null");
  });

  test("use after done throws", () => {
    const b = createBag({ a: "x" });
    b.done();
    expect(() => b.get("a")).toThrow("attempt to use a bag after its Done method has been called");
  });

  test("maps stored in a bag know their attribute name", () => {
    const b = createBag({ "request.headers": new StringMap({ a: "b" }) });
    expect((b.get("request.headers") as StringMap).name).toBe("request.headers");
  });

  test("copyBag flattens parents", () => {
    const c = copyBag(createBag({ a: "x" }, createBag({ t: new Timestamp(5n, 6) })));
    expect(c.parent.names()).toEqual([]);
    expect(c.names().sort()).toEqual(["a", "t"]);
  });
});

describe("valuesEqual", () => {
  test.each([
    ["x", "x", true],
    [1n, 1n, true],
    [1n, 1, false],
    [true, true, true],
    [new Timestamp(1n, 5), new Timestamp(1n, 5), true],
    [new StringMap({ a: "1" }), new StringMap({ a: "1" }), true],
    [new StringMap({ a: "1" }), new StringMap({ a: "2" }), false],
  ] as const)("%p vs %p", (a, b, eq) => {
    expect(valuesEqual(a, b)).toBe(eq);
  });
});
