import { configure, flush, shutdown, traced } from "../../src/trace/index";
import { Duration } from "../../src/mixer/attribute/index";
import { BoundedNames, SpanBag, SPAN_VOCABULARY } from "../../src/mixer-bridge/index";
import type { SpanColumns } from "../../src/trace/export/span-columns";
import { resetTracer } from "../helpers/trace-harness";

const diagnostics: string[] = [];
const ok = traced("shop.ok", (x: number) => x + 1);
const bad = traced("shop.bad", () => {
  throw new TypeError("no");
});
const outer = traced("shop.outer", () => {
  ok(1);
  try {
    bad();
  } catch {
    // expected
  }
});

describe("SpanBag", () => {
  beforeEach(() => resetTracer(diagnostics));
  afterEach(async () => {
    configure({ exporters: false });
    await shutdown();
  });

  it("gives, through its fast path, the value of every vocabulary getter", async () => {
    const rows: { name: string; fast: unknown; slow: unknown }[] = [];
    const exporter = {
      name: "probe",
      encodeColumns(cols: SpanColumns, from: number, to: number): Uint8Array {
        const env = { serviceName: "svc", namespace: undefined, names: new BoundedNames(10) };
        for (let i = from; i < to; i++) {
          for (const attr of SPAN_VOCABULARY) {
            const fast = new SpanBag(cols, env).at(cols, i).get(attr.name);
            const slow = attr.get(new SpanBag(cols, env).at(cols, i));
            rows.push({ name: attr.name, fast, slow });
          }
        }
        return new Uint8Array(0);
      },
      send: () => undefined,
      export: () => undefined,
    };
    configure({ exporters: [exporter], minDurationMs: 0 });
    outer();
    await flush();
    expect(rows.length).toBe(3 * SPAN_VOCABULARY.length);
    for (const r of rows) {
      if (r.slow instanceof Duration) expect((r.fast as Duration).nanos).toBe(r.slow.nanos);
      else expect({ name: r.name, value: r.fast }).toEqual({ name: r.name, value: r.slow });
    }
  });
});

describe("Duration from a number of nanoseconds", () => {
  it("equals the bigint-built one in every reading", () => {
    for (const ns of [0, -0, 1, -1, 1234567, 2 ** 53 - 1, -(2 ** 53 - 1)]) {
      const a = Duration.fromNanos(ns);
      const b = new Duration(BigInt(ns));
      expect(a.nanos).toBe(b.nanos);
      expect(a.toSeconds()).toBe(b.toSeconds());
      expect(a.toMillis()).toBe(b.toMillis());
      expect(a.equals(b) && b.equals(a)).toBe(true);
    }
    expect(Duration.fromNanos(2 ** 60).nanos).toBe(BigInt(2 ** 60));
    expect(Duration.fromMillis(1.5).nanos).toBe(1_500_000n);
    expect(() => Duration.fromMillis(NaN)).toThrow(RangeError);
    expect(() => new Duration(1.5 as unknown as bigint)).toThrow(TypeError);
  });
});
