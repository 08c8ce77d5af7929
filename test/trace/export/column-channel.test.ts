import { ColumnChannel } from "../../../src/trace/export/column-channel.js";
import { configure, shutdown, traced, getExportStats } from "../../../src/trace/index.js";
import { S } from "../../../src/trace/state.js";
import { ZipkinJsonExporter } from "../../../src/trace/export/zipkin/zipkin-exporter.js";
import { resetTracer } from "../../helpers/trace-harness.js";
import { ByteBuffer } from "../../../src/trace/export/byte-buffer.js";
import { DEFAULT_MAX_QUEUED_BYTES as MAX_QUEUED_BYTES, resolveBatchOptions } from "../../../src/trace/export/batch-options.js";
import type { ColumnarSpanExporter } from "../../../src/trace/export/exported-span.js";
import { ROOT_PARENT, SpanColumns } from "../../../src/trace/export/span-columns.js";
import { Flow, Frame } from "../../../src/trace/frame.js";

const BYTES_PER_SPAN = 1000;

function batchOf(n: number): SpanColumns {
  const flow = new Flow(1, null, null, true);
  const columns = new SpanColumns(n);
  for (let i = 1; i <= n; i++) {
    const f = new Frame(i, "f", "src/x.ts", 1, flow, 1, null);
    f.start = 1;
    f.end = 2;
    columns.push(f, ROOT_PARENT);
  }
  return columns;
}

/** Payloads of BYTES_PER_SPAN per span; each send stays in flight until `answer()`. */
function slowExporter() {
  const answers: (() => void)[] = [];
  const exporter: ColumnarSpanExporter = {
    name: "slow",
    encodeColumns: (_batch, from, to) => new Uint8Array((to - from) * BYTES_PER_SPAN),
    send: () => new Promise<void>((resolve) => answers.push(resolve)),
    export: () => undefined,
  };
  return { exporter, answer: () => answers.shift()?.() };
}

describe("column channel byte budget", () => {
  it("should hold at most maxQueuedBytes queued and in flight, dropping (and counting) the rest unencoded", async () => {
    const { exporter, answer } = slowExporter();
    const encode = jest.spyOn(exporter, "encodeColumns");
    const options = resolveBatchOptions({ maxQueueSize: 1000, maxExportBatchSize: 5, maxQueuedBytes: 12_000 }, {});
    const channel = new ColumnChannel(exporter, options);
    channel.take(batchOf(5));
    // The first 5-span payload measures 1,000 bytes a span and goes out; 7 more spans fit the
    // 12,000 bytes beside its 5,000 and wait as columns, unencoded; 93 are dropped.
    channel.take(batchOf(100));
    expect(encode).toHaveBeenCalledTimes(1);
    expect(channel.stats.dropped).toBe(93);
    expect(channel.queued).toBe(7);
    expect(channel.bytesHeld).toBe(12_000);
    expect(channel.room).toBe(0);
    answer();
    await new Promise((r) => setImmediate(r));
    // the first payload landed, the second (5 of the 7) is in flight now
    expect(channel.stats.exported).toBe(5);
    expect(encode).toHaveBeenCalledTimes(2);
    expect(channel.queued).toBe(2);
    expect(channel.bytesHeld).toBe(7_000);
    expect(channel.room).toBe(5);
    channel.abandon("test over");
    expect(channel.stats.dropped).toBe(93 + 2 + 5);
  });

  it("should keep a batch admitted before the first payload was measured, as far as the room it was admitted against", () => {
    const { exporter } = slowExporter();
    const channel = new ColumnChannel(exporter, resolveBatchOptions({ maxQueueSize: 1000, maxExportBatchSize: 5, maxQueuedBytes: 12_000 }, {}));
    // the room seen before any payload: 12,000 bytes at the assumed 256 bytes a span
    const admitted = Math.floor(12_000 / 256);
    expect(channel.room).toBe(admitted);
    channel.take(batchOf(100));
    // 5 in flight and the rest of the admitted rows queued, though the payload measured 1,000
    // bytes a span; what the room never had is dropped
    expect(channel.queued).toBe(admitted - 5);
    expect(channel.stats.dropped).toBe(100 - admitted);
    expect(channel.room).toBe(0);
    channel.abandon("test over");
  });

  it("should encode the queued rows, in order, only when their payload is sent", async () => {
    const { exporter, answer } = slowExporter();
    const encoded: number[][] = [];
    exporter.encodeColumns = (batch, from, to) => {
      encoded.push([...batch.ids.subarray(from, to)]);
      return new Uint8Array((to - from) * BYTES_PER_SPAN);
    };
    const channel = new ColumnChannel(exporter, resolveBatchOptions({ maxExportBatchSize: 4, maxQueuedBytes: 1_000_000 }, {}));
    channel.take(batchOf(10));
    expect(encoded).toEqual([[1, 2, 3, 4]]);
    for (let i = 0; i < 3; i++) {
      answer();
      await new Promise((r) => setImmediate(r));
    }
    expect(encoded).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
    expect(channel.stats).toMatchObject({ exported: 10, dropped: 0 });
    expect(channel.queued).toBe(0);
  });

  it("should pass a batch larger than the byte bound to a synchronous sender whole", () => {
    const sent: number[] = [];
    const exporter: ColumnarSpanExporter = {
      name: "in-process",
      encodeColumns: (_batch, from, to) => new Uint8Array((to - from) * BYTES_PER_SPAN),
      send: (_payload, count) => void sent.push(count),
      export: () => undefined,
    };
    const channel = new ColumnChannel(exporter, resolveBatchOptions({ maxQueueSize: 65_536, maxExportBatchSize: 512, maxQueuedBytes: 12_000 }, {}));
    channel.take(batchOf(5000));
    expect(channel.stats).toMatchObject({ exported: 5000, dropped: 0 });
    expect(sent.reduce((a, b) => a + b, 0)).toBe(5000);
    expect(Math.max(...sent)).toBeLessThanOrEqual(512);
  });

  it("should still send when the byte bound is smaller than one span", async () => {
    const { exporter, answer } = slowExporter();
    const channel = new ColumnChannel(exporter, resolveBatchOptions({ maxExportBatchSize: 2, maxQueuedBytes: 10 }, {}));
    expect(channel.room).toBe(1);
    channel.take(batchOf(5));
    // two go out at once, nothing more fits beside them
    expect(channel.stats.dropped).toBe(3);
    expect(channel.room).toBe(0);
    answer();
    await new Promise((r) => setImmediate(r));
    expect(channel.stats.exported).toBe(2);
    expect(channel.room).toBe(1);
    channel.take(batchOf(1));
    answer();
    await new Promise((r) => setImmediate(r));
    expect(channel.stats).toMatchObject({ exported: 3, dropped: 3 });
  });

  it("should tell the export sink when an export settled", async () => {
    const { exporter, answer } = slowExporter();
    const channel = new ColumnChannel(exporter, resolveBatchOptions({ maxQueuedBytes: 1_000_000 }, {}));
    const settled = jest.fn();
    channel.onSettled = settled;
    channel.take(batchOf(10));
    channel.pump();
    expect(settled).not.toHaveBeenCalled();
    answer();
    await new Promise((r) => setImmediate(r));
    expect(settled).toHaveBeenCalledTimes(1);
    expect(channel.stats).toMatchObject({ exported: 10, dropped: 0 });
  });
});

describe("byte buffer", () => {
  it("should write the next payload into a recycled payload's memory, and never into one still held", () => {
    const out = new ByteBuffer(1024);
    out.bytes(Uint8Array.of(1, 2, 3));
    const first = out.take();
    out.bytes(Uint8Array.of(4));
    const second = out.take();
    expect(second.buffer === first.buffer).toBe(false);
    expect([...first]).toEqual([1, 2, 3]);
    out.recycle(first);
    out.bytes(Uint8Array.of(5));
    const third = out.take(); // written before the recycle: in its own buffer; the next one reuses first's
    out.bytes(Uint8Array.of(9, 9));
    const fourth = out.take();
    expect(third.buffer === first.buffer).toBe(false);
    expect(fourth.buffer === first.buffer).toBe(true);
    expect([...fourth]).toEqual([9, 9]);
    expect([...second]).toEqual([4]);
    expect([...third]).toEqual([5]);
  });

  it("should reuse every payload answered back to back, up to its spare-byte bound", () => {
    const MiB = 1024 * 1024;
    const alloc = jest.spyOn(Buffer, "allocUnsafeSlow");
    try {
      const out = new ByteBuffer(MiB);
      const write = (k: number): Uint8Array => (out.bytes(Uint8Array.of(k)), out.take());
      const queued = [1, 2, 3, 4].map(write);
      for (const p of queued) out.recycle(p); // four answers in a row, no payload written between them
      alloc.mockClear();
      const next = [5, 6, 7, 8].map(write);
      // each take moves the writer to a spare: four payloads, nothing allocated
      expect(alloc).not.toHaveBeenCalled();
      expect(next.map((p) => p[0])).toEqual([5, 6, 7, 8]);
      expect(next.slice(1).every((p) => queued.some((q) => q.buffer === p.buffer))).toBe(true);
      // bounded: 4 MiB of spares at most, so of six 1 MiB payloads back to back, two are left to the collector
      for (const p of next) out.recycle(p);
      const burst = [1, 2, 3, 4, 5, 6].map(write);
      for (const p of burst) out.recycle(p);
      alloc.mockClear();
      [1, 2, 3, 4, 5, 6].map(write);
      expect(alloc).toHaveBeenCalledTimes(2); // four spares cover four takes of six
    } finally {
      alloc.mockRestore();
    }
  });
});

describe("export sink admission with a receiver that never answers", () => {
  beforeEach(() => resetTracer([]));
  afterEach(async () => {
    configure({ exporters: false });
    await shutdown();
  });

  it("should stop admitting calls once the exporter holds its byte budget, and count every call it drops", async () => {
    const exporter = new ZipkinJsonExporter({ serviceName: "admit", post: () => new Promise<void>(() => undefined) });
    configure({ exporters: [exporter], batch: { maxQueueSize: 65_536, maxExportBatchSize: 512, exportTimeoutMillis: 1000 } });
    const leaf = traced("a.leaf", (x: number) => x + 1);
    const sink = S.sinks.find((s) => "droppedFrames" in s) as unknown as { process(): void; _columns: SpanColumns; droppedFrames: number };
    for (let i = 0; i < 20_000; i++) leaf(i);
    // admitted: what the empty queue takes at the assumed 256 bytes a span; the rest dropped at the door
    expect(sink._columns.length).toBe(Math.floor(MAX_QUEUED_BYTES / 256));
    sink.process(); // sends the first payload and keeps every admitted call beside it as columns
    const channel = (sink as unknown as { _channels: ColumnChannel[] })._channels[0];
    expect(channel.queued).toBe(Math.floor(MAX_QUEUED_BYTES / 256) - 512);
    expect(channel.bytesHeld).toBeGreaterThan(MAX_QUEUED_BYTES); // at the measured bytes a span
    expect(channel.room).toBe(0);
    const refusedBefore = sink.droppedFrames;
    for (let i = 0; i < 1000; i++) leaf(i);
    expect(sink._columns.length).toBe(0);
    expect(sink.droppedFrames - refusedBefore).toBe(1000);
    const [stats] = getExportStats();
    expect(stats.exported).toBe(0);
    expect(stats.dropped + channel.queued + 512).toBe(21_000); // 512 in flight
  });
});
