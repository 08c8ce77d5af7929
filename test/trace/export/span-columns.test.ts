import { configure, flush, shutdown, traced } from "../../../src/trace/index.js";
import { MemorySpanExporter } from "../../../src/trace/export/memory-exporter.js";
import { SpanColumns, ROOT_PARENT, FOREIGN_PARENT, traceSource } from "../../../src/trace/export/span-columns.js";
import { FlowLink, spanIdFromNumber } from "../../../src/trace/export/span-ids.js";
import { Flow, Frame, FAILED, ASYNC } from "../../../src/trace/frame.js";
import { S } from "../../../src/trace/state.js";

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

function frame(id: number, flow: Flow, flags = 0): Frame {
  const f = new Frame(id, `f${id}`, "src/x.ts", 10 + id, flow, 1, null);
  f.start = 100;
  f.end = 100.5;
  f.flags = flags;
  return f;
}

describe("span columns", () => {
  it("should keep per row only numbers, strings and the trace link, no Flow", () => {
    const root = new Flow(1, null, null, true);
    const linked = new Flow(2, root, frame(9, root), true);
    linked.ext = new FlowLink("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
    linked.trace = linked;
    const forked = new Flow(3, linked, frame(10, linked), true);
    const columns = new SpanColumns(2);
    const failure = new Error("x");
    const failed = frame(11, forked, FAILED | ASYNC);
    failed.error = failure;
    columns.push(frame(12, root), ROOT_PARENT);
    columns.push(failed, FOREIGN_PARENT, "b7ad6b7169203331");
    columns.push(frame(13, root), 12);
    expect(columns.length).toBe(3);
    expect(columns.traceLinks).toEqual([root.ext, linked.ext, root.ext]);
    expect(columns.traceLinks[0]).toBeInstanceOf(FlowLink);
    expect(columns.traceLinks[0]).toBe(columns.traceLinks[2]);
    expect(traceSource(forked)).toBe(linked);
    const spans = columns.toSpans();
    expect(spans[0]).toMatchObject({ spanId: spanIdFromNumber(12), parentSpanId: undefined, name: "f12", line: 22, failed: false, async: false });
    expect(spans[1]).toMatchObject({ traceId: "0af7651916cd43dd8448eb211c80319c", parentSpanId: "b7ad6b7169203331", failed: true, async: true, error: failure, flowId: 3 });
    expect(spans[2].parentSpanId).toBe(spanIdFromNumber(12));
    expect(spans[2].traceId).toBe(spans[0].traceId);
    expect(spans[0].traceId).toMatch(/^[0-9a-f]{32}$/);
    columns.reset();
    expect(columns.length).toBe(0);
    expect(columns.traceLinks.every((f) => f === null)).toBe(true);
    expect(columns.errors.size + columns.foreignParents.size).toBe(0);
  });
});

describe("span columns as an exporter queue", () => {
  it("should append rows of another batch and drop sent rows from the front, sparse columns included", () => {
    const root = new Flow(1, null, null, true);
    const other = new Flow(7, null, null, true);
    const source = new SpanColumns(2);
    const failure = new Error("y");
    for (let id = 1; id <= 6; id++) {
      const f = frame(id, id % 2 === 0 ? other : root, id === 3 ? FAILED : 0);
      if (id === 3) f.error = failure;
      f.start = id;
      f.end = id + 0.5;
      source.push(f, id === 5 ? FOREIGN_PARENT : ROOT_PARENT, id === 5 ? "00f067aa0ba902b7" : undefined);
    }
    const queue = new SpanColumns(0);
    queue.appendRows(source, 1, 4); // ids 2, 3, 4
    queue.appendRows(source, 4, 6); // ids 5, 6
    expect(queue.length).toBe(5);
    expect(queue.toSpans()).toEqual(source.toSpans(1, 6));
    expect(queue.errors.get(1)).toBe(failure);
    expect(queue.foreignParents.get(3)).toBe("00f067aa0ba902b7");
    queue.dropFront(2); // ids 4, 5, 6 left
    expect(queue.length).toBe(3);
    expect(queue.toSpans()).toEqual(source.toSpans(3, 6));
    expect(queue.errors.size).toBe(0);
    expect([...queue.foreignParents.keys()]).toEqual([1]);
    expect(queue.traceLinks.slice(3, 5)).toEqual([null, null]); // no link kept past the end
    queue.dropFront(3);
    expect(queue.length).toBe(0);
    expect(queue.foreignParents.size).toBe(0);
  });
});

describe("export sink with minDurationMs", () => {
  let memory: MemorySpanExporter;
  beforeEach(() => {
    S.cursor.cur = null;
    memory = new MemorySpanExporter();
    configure({ exporters: [memory], minDurationMs: 50, include: undefined, exclude: [], maxDepth: undefined, sampleRatio: 1 });
  });
  afterEach(async () => {
    configure({ exporters: false, minDurationMs: 0 });
    await shutdown();
  });
  const waiting = () => ((S.sinks.find((s) => "droppedFrames" in s) as unknown as { _waiting: Frame[] })._waiting.length);

  it("should keep a Frame only while an ancestor is still running and younger than minDurationMs", async () => {
    let waitedInside = -1;
    // A pinned call (its span context was handed to OpenTelemetry) is exported however short.
    const pinned = traced("m.pinned", () => void (S.cursor.cur!.ext = {}));
    const young = traced("m.young", () => {
      pinned();
      waitedInside = waiting();
      busy(60);
    });
    const old = traced("m.old", () => {
      busy(60);
      pinned();
      expect(waiting()).toBe(1); // only young's child: this one's parent is decided (old enough)
      traced("m.quick", () => 1)();
    });
    young();
    expect(waiting()).toBe(1);
    old();
    expect(waitedInside).toBe(1);
    await flush();
    expect(waiting()).toBe(0);
    const spans = memory.spans;
    expect(spans.map((s) => s.name).sort()).toEqual(["m.old", "m.pinned", "m.pinned", "m.young"]);
    const children = spans.filter((s) => s.name === "m.pinned");
    expect(children.map((c) => c.parentSpanId).sort()).toEqual(spans.filter((s) => s.name !== "m.pinned").map((s) => s.spanId).sort());
  });
});
