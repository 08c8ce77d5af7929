import { performance } from "node:perf_hooks";
import { clockOutOfLine, readClockOutOfLine } from "../../src/trace/clock.js";
import { RingRecorder, addSink, removeSink, traced } from "../../src/trace/index.js";

describe("the engine's clock", () => {
  it("reads out of line exactly on V8 12 and older (Node 22), where that is the fast read", () => {
    const major = Number(process.versions.v8.split(".")[0]);
    expect(clockOutOfLine).toBe(major <= 12);
  });

  it("gives performance.now() milliseconds out of line, on every V8", () => {
    for (let i = 0; i < 1000; i++) {
      const before = performance.now();
      const read = readClockOutOfLine();
      const after = performance.now();
      expect(read).toBeGreaterThanOrEqual(before);
      expect(read).toBeLessThanOrEqual(after);
    }
  });

  it("stamps every traced call between the reads around it", () => {
    const ring = new RingRecorder(16);
    const leaf = traced("clock.leaf", (n: number) => n + 1);
    addSink(ring);
    const before = performance.now();
    try {
      for (let i = 0; i < 10; i++) leaf(i);
    } finally {
      removeSink(ring);
    }
    const after = performance.now();
    const calls = ring.snapshot();
    expect(calls).toHaveLength(10);
    for (const c of calls) {
      expect(c.start).toBeGreaterThanOrEqual(before);
      expect(c.end).toBeGreaterThanOrEqual(c.start);
      expect(c.end).toBeLessThanOrEqual(after);
    }
  });
});
