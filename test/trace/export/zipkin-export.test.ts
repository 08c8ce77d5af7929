import { configure, flush, shutdown, traced, getExportStats } from "../../../src/trace/index.js";
import { resetTracer } from "../../helpers/trace-harness.js";
import { startReceiver, zipkinSpanValidator, type Receiver, type ReceiverMode } from "./receiver.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  timestamp: number;
  duration: number;
  tags: Record<string, string>;
  annotations?: { value: string }[];
}

/** A small program with concurrent chains, timers and a failure. */
const parse = traced("w.parse", (text: string) => text.length);
const fetchOne = traced("w.fetch", async (id: number) => {
  await sleep(id % 3);
  return parse(`item-${id}`);
});
const fail = traced("w.fail", async () => {
  await sleep(1);
  throw new TypeError("broken");
});
const handle = traced("w.handle", async (id: number) => {
  const size = await fetchOne(id);
  await new Promise((resolve) => setTimeout(resolve, 1));
  return size + parse("x");
});
const main = traced("w.main", async (chains: number) => {
  const results = await Promise.all(Array.from({ length: chains }, (_, i) => handle(i)));
  await fail().catch((e: unknown) => e);
  return results;
});

describe("zipkin export", () => {
  let receiver: Receiver | undefined;
  const diagnostics: string[] = [];
  beforeEach(() => {
    resetTracer(diagnostics);
  });
  afterEach(async () => {
    configure({ exporters: false });
    await shutdown();
    await receiver?.close();
    receiver = undefined;
  });

  it("should send valid Zipkin v2 spans whose ids form the call tree", async () => {
    receiver = await startReceiver("accept");
    configure({ exporters: [{ type: "zipkin", url: receiver.url, serviceName: "zipkin-test" }] });
    const results = await main(4);
    expect(results).toEqual([7, 7, 7, 7]);
    await flush();
    const spans = receiver.bodies.flat() as ZipkinSpan[];
    expect(spans.length).toBe(1 + 4 * 4 + 1);
    const validate = zipkinSpanValidator();
    expect(validate({ traceId: "XYZ", id: "1", duration: 0 }).length).toBeGreaterThanOrEqual(3);
    for (const span of spans) expect({ span: span.name, errors: validate(span) }).toEqual({ span: span.name, errors: [] });
    const byId = new Map(spans.map((s) => [s.id, s]));
    expect(byId.size).toBe(spans.length);
    const root = spans.find((s) => s.name === "w.main")!;
    expect(root.parentId).toBeUndefined();
    for (const span of spans) {
      expect(span.traceId).toBe(root.traceId);
      expect(Number.isInteger(span.duration) && span.duration >= 1).toBe(true);
      if (span === root) continue;
      const parent = byId.get(span.parentId!)!;
      expect(parent).toBeDefined();
      const expected = { "w.handle": "w.main", "w.fetch": "w.handle", "w.fail": "w.main" }[span.name];
      if (expected !== undefined) expect(parent.name).toBe(expected);
      expect(Number(span.tags["functrace.depth"])).toBe(Number(parent.tags["functrace.depth"]) + 1);
    }
    expect(root.tags["service.name"]).toBe("zipkin-test");
    expect(root.tags["code.function.name"]).toBe("w.main");
    const failed = spans.find((s) => s.name === "w.fail")!;
    expect(failed.tags["otel.status_code"]).toBe("ERROR");
    expect(failed.tags.error).toBe("broken");
    expect(failed.annotations?.[0].value).toBe("exception");
  });

  it.each<ReceiverMode | "refuse">(["refuse", "stall", "fail"])("should change nothing but the drop counter when the receiver does %s", async (mode) => {
    let url = "http://127.0.0.1:9/api/v2/spans";
    if (mode !== "refuse") {
      receiver = await startReceiver(mode);
      url = receiver.url;
    }
    configure({ exporters: [{ type: "zipkin", url }], batch: { exportTimeoutMillis: 300 } });
    await expect(main(3)).resolves.toEqual([7, 7, 7]);
    await flush();
    const [stats] = getExportStats();
    expect(stats).toMatchObject({ exporter: "zipkin", exported: 0, dropped: 1 + 3 * 4 + 1, failedExports: 1 });
    expect(diagnostics.filter((d) => d.includes("zipkin")).length).toBe(1);
    configure({ batch: { exportTimeoutMillis: 30000 } });
  });
});
