import { trace, traced, currentFlow } from "../../src/trace/index.js";
import { useMemorySink } from "../helpers/trace-harness.js";

function namedByStack(): string {
  const end = trace();
  try {
    return currentFlow()!.name;
  } finally {
    end();
  }
}

function withUsing(): number {
  using _span = trace("m.withUsing");
  return currentFlow()!.depth;
}

class Repo {
  constructor(readonly prefix: string) {}

  @traced
  save(item: string): string {
    return `${this.prefix}:${item}:${currentFlow()!.name}`;
  }

  @traced("repo.load")
  async load(id: number): Promise<number> {
    await new Promise((r) => setTimeout(r, 1));
    return id * 2 + currentFlow()!.depth;
  }

  @traced
  static create(): string {
    return currentFlow()!.name;
  }
}

describe("manual API", () => {
  const box = useMemorySink();

  describe("trace()", () => {
    it("should name the span after the calling function, from the stack", () => {
      expect(namedByStack()).toBe("manual-api.namedByStack");
      expect(box.sink.lines()).toEqual([
        `g[${flow(box)}]:    ->manual-api.namedByStack`,
        `g[${flow(box)}]:    <-manual-api.namedByStack`,
      ]);
    });

    it("should cache the caller's name per call site", () => {
      for (let i = 0; i < 3; i++) namedByStack();
      const names = new Set(box.sink.finished.map((f) => f.name));
      expect([...names]).toEqual(["manual-api.namedByStack"]);
      expect(box.sink.finished[0].line).toBeGreaterThan(0);
      expect(box.sink.finished[0].file).toMatch(/manual-api\.test\.ts$/);
    });

    it("should end the span when a using declaration leaves scope", () => {
      expect(withUsing()).toBe(1);
      expect(box.sink.finished.map((f) => f.name)).toEqual(["m.withUsing"]);
    });

    it("should warn once and ignore a second end()", () => {
      const end = trace("m.twice");
      end();
      end();
      expect(box.sink.finished).toHaveLength(1);
      expect(box.diagnostics.filter((d) => d.includes("ended twice"))).toHaveLength(1);
    });
  });

  describe("traced()", () => {
    it("should keep name, length, this and the return value of a sync function", () => {
      const obj = {
        base: 10,
        add: traced(function add(this: { base: number }, a: number, b: number) {
          return this.base + a + b;
        }),
      };
      expect(obj.add.name).toBe("add");
      expect(obj.add.length).toBe(2);
      expect(obj.add(1, 2)).toBe(13);
      expect(box.sink.finished[0].name).toBe("add");
    });

    it("should accept an explicit name", () => {
      const f = traced("custom.name", (x: number) => x * 2);
      expect(f(4)).toBe(8);
      expect(box.sink.finished[0].name).toBe("custom.name");
    });

    it("should end an async function's span when its promise settles", async () => {
      const order: string[] = [];
      const f = traced("m.async", async () => {
        await new Promise((r) => setTimeout(r, 2));
        order.push("body done");
        return 7;
      });
      const p = f();
      expect(p).toBeInstanceOf(Promise);
      expect(box.sink.finished).toHaveLength(0);
      expect(await p).toBe(7);
      expect(box.sink.finished.map((s) => s.name)).toEqual(["m.async"]);
      expect(box.sink.finished[0].async).toBe(true);
    });

    it("should keep callees after an await inside the traced async function's span", async () => {
      const child = traced("m.child", () => currentFlow()!);
      const parent = traced("m.parent", async () => {
        await new Promise((r) => setTimeout(r, 1));
        return child();
      });
      const info = await parent();
      const p = box.sink.finished.find((f) => f.name === "m.parent")!;
      expect(info.parentSpanId).toBe(p.id);
      expect(info.flowId).toBe(p.flow.id);
      expect(info.depth).toBe(2);
    });

    it("should support construction with new and keep instanceof", () => {
      function Point(this: { x: number }, x: number) {
        this.x = x;
      }
      const TracedPoint = traced(Point as unknown as (x: number) => void) as unknown as new (x: number) => {
        x: number;
      };
      const p = new TracedPoint(3);
      expect(p.x).toBe(3);
      expect(p).toBeInstanceOf(TracedPoint);
      expect(p).toBeInstanceOf(Point);
    });

    it("should reject bad arguments with a clear TypeError", () => {
      expect(() => (traced as any)(42)).toThrow(/traced\(\): expected traced\(fn\)/);
    });
  });

  describe("@traced", () => {
    it("should name instance, static and renamed methods", async () => {
      const repo = new Repo("r");
      expect(repo.save("x")).toBe("r:x:Repo.save");
      expect(Repo.create()).toBe("Repo.create");
      expect(await repo.load(2)).toBe(5);
      expect(box.sink.finished.map((f) => f.name)).toEqual(["Repo.save", "Repo.create", "repo.load"]);
    });
  });
});

function flow(box: ReturnType<typeof useMemorySink>): string {
  return String(box.sink.events[0].frame.flow.id).padStart(2, "0");
}
