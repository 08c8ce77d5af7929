import { S, type Cursor } from "../../src/trace/state.js";
import { RingRecorder, __ft, addSink, removeSink, traced } from "../../src/trace/index.js";

/*
 * The current frame lives in S.cursor.cur, and a chain that starts from untraced context gets a
 * fresh cursor (engine.ts, state.ts): the per-call writes then stay young to young in V8's heap.
 * What must hold: one cursor for a whole synchronous chain, a new one per chain start, and the
 * current frame right at every step, across an await too.
 */
describe("the current-frame cursor", () => {
  const ring = new RingRecorder(64);
  beforeAll(() => addSink(ring));
  afterAll(() => removeSink(ring));

  it("is one object for a whole chain and a new one for each chain started from untraced context", () => {
    const seen: Cursor[] = [];
    const names: (string | undefined)[] = [];
    const leaf = traced("cur.leaf", () => {
      seen.push(S.cursor);
      names.push(S.cursor.cur?.name);
    });
    const root = traced("cur.root", () => {
      seen.push(S.cursor);
      leaf();
      names.push(S.cursor.cur?.name);
      leaf();
    });
    root();
    expect(S.cursor.cur).toBeNull();
    const first = seen.slice();
    root();
    expect(new Set(first).size).toBe(1);
    expect(new Set(seen.slice(3)).size).toBe(1);
    expect(seen[3]).not.toBe(first[0]);
    expect(names).toEqual(["cur.leaf", "cur.root", "cur.leaf", "cur.leaf", "cur.root", "cur.leaf"]);
  });

  it("gives an async call resumed after an await a fresh cursor, with itself current", async () => {
    const inner = traced("cur.inner", () => S.cursor.cur?.name);
    // As the codemod emits it (docs/generated-code-contract.md).
    async function task(): Promise<{ before?: string; after?: string; current?: string; fresh: boolean }> {
      let t = __ft.NOOP;
      try {
        t = __ft.enter("cur.task", "cursor.ts", 1);
        const cursorBefore = S.cursor;
        const before = inner();
        __ft.resume(t, await __ft.suspend(t, new Promise<void>((resolve) => setImmediate(() => resolve()))));
        const fresh = S.cursor !== cursorBefore;
        const after = inner();
        return { before, after, current: S.cursor.cur?.name, fresh };
      } catch (e) {
        __ft.fail(t, e);
        throw e;
      } finally {
        __ft.exit(t);
      }
    }
    const result = await task();
    expect(result).toEqual({ before: "cur.inner", after: "cur.inner", current: "cur.task", fresh: true });
    expect(S.cursor.cur).toBeNull();
    const calls = ring.snapshot().filter((c) => c.name.startsWith("cur."));
    const taskCall = calls.find((c) => c.name === "cur.task")!;
    const inners = calls.filter((c) => c.name === "cur.inner");
    expect(inners).toHaveLength(2);
    for (const c of inners) expect(c.parentId).toBe(taskCall.id);
  });
});
