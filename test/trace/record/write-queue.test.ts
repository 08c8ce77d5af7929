import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WriteQueue, recordBuffer, type FileIo, type RecordBuffer } from "../../../src/trace/record/write-queue.js";
import { readRecordingFile } from "../../../src/trace/record/reader.js";
import { RecordWriter } from "../../../src/trace/record/record-writer.js";
import { traced, addSink, removeSink } from "../../../src/trace/index.js";
import { ROOT, runNode } from "../../helpers/run-node.js";

const tmp = mkdtempSync(join(tmpdir(), "functrace-write-queue-"));

/** A file in memory whose asynchronous writes complete only when the test says so. */
class SteeredFile implements FileIo {
  readonly bytes: number[] = [];
  readonly started: { position: number; length: number; complete: (written?: number) => void }[] = [];
  syncWrites = 0;

  write(_fd: number, buffer: Buffer, offset: number, length: number, position: number, done: (error: NodeJS.ErrnoException | null, written: number) => void): void {
    // the bytes are copied at completion, as the thread pool would (the buffer must not change meanwhile)
    this.started.push({
      position,
      length,
      complete: (written = length) => {
        this.put(buffer.subarray(offset, offset + written), position);
        done(null, written);
      },
    });
  }

  writeSync(_fd: number, buffer: Buffer, offset: number, length: number, position: number): number {
    this.syncWrites++;
    this.put(buffer.subarray(offset, offset + length), position);
    return length;
  }

  private put(data: Buffer, position: number): void {
    for (let i = 0; i < data.length; i++) this.bytes[position + i] = data[i];
  }
}

/** Fills a buffer with `length` bytes of `value`. */
function fill(buffer: RecordBuffer, value: number, length: number): number {
  buffer.bytes.fill(value, 0, length);
  return length;
}

describe("the recording's write queue", () => {
  it("should write one buffer at a time, in the order handed over, at consecutive positions", async () => {
    const file = new SteeredFile();
    const queue = new WriteQueue(3, [recordBuffer(64), recordBuffer(64), recordBuffer(64), recordBuffer(64)], 8, file);
    let current = queue.take() as RecordBuffer;
    for (const value of [1, 2, 3]) current = queue.submit(current, fill(current, value, 16 * value));
    // a second write never starts before the first completed: completions cannot come out of order
    expect(file.started.map((s) => [s.position, s.length])).toEqual([[8, 16]]);
    const settled = queue.whenIdle();
    file.started[0].complete(10); // a short write goes on from where it stopped, before the next buffer
    expect(file.started.map((s) => [s.position, s.length])).toEqual([[8, 16], [18, 6]]);
    file.started[1].complete();
    expect(file.started[2]).toMatchObject({ position: 24, length: 32 });
    file.started[2].complete();
    file.started[3].complete();
    await settled;
    expect(queue.idle).toBe(true);
    expect(file.bytes.slice(8)).toEqual([...Array(16).fill(1), ...Array(32).fill(2), ...Array(48).fill(3)]);
    expect(queue.stats).toMatchObject({ asyncWrites: 3, syncCatchUps: 0, bytesWritten: 96 });
  });

  it("should write everything synchronously, in order, when every buffer is handed over (back-pressure)", () => {
    const file = new SteeredFile();
    const pool = [recordBuffer(64), recordBuffer(64), recordBuffer(64)];
    const queue = new WriteQueue(3, pool, 0, file);
    let current = queue.take() as RecordBuffer;
    current = queue.submit(current, fill(current, 1, 8)); // in flight
    current = queue.submit(current, fill(current, 2, 8)); // waits
    expect(file.started).toHaveLength(1);
    current = queue.submit(current, fill(current, 3, 8)); // no buffer free: catch up
    expect(queue.stats.syncCatchUps).toBe(1);
    expect(file.syncWrites).toBe(3);
    expect(file.bytes).toEqual([...Array(8).fill(1), ...Array(8).fill(2), ...Array(8).fill(3)]);
    // the buffer the thread pool still reads is not handed out again before its completion
    expect(current).not.toBe(pool[0]);
    expect(queue.idle).toBe(false);
    current = queue.submit(current, fill(current, 4, 8));
    expect(file.started).toHaveLength(1);
    file.started[0].complete(); // a late completion of the rewritten buffer changes nothing
    expect(file.started.map((s) => s.position)).toEqual([0, 24]);
    file.started[1].complete();
    expect(queue.idle).toBe(true);
    expect(file.bytes).toEqual([...Array(8).fill(1), ...Array(8).fill(2), ...Array(8).fill(3), ...Array(8).fill(4)]);
  });

  it("should close the file only once the write in flight completed", () => {
    const file = new SteeredFile();
    const queue = new WriteQueue(3, [recordBuffer(64), recordBuffer(64)], 0, file);
    const current = queue.take() as RecordBuffer;
    queue.submit(current, fill(current, 7, 8));
    queue.writeAllSync();
    let closed = 0;
    queue.closeWhenIdle(() => closed++);
    expect(closed).toBe(0);
    file.started[0].complete();
    expect(closed).toBe(1);
    expect(file.bytes).toEqual(Array(8).fill(7));
  });

  it("should cycle the buffers through the writer thread during a run that never yields", () => {
    const file = join(tmp, "thread.ftrec");
    const writer = new RecordWriter({ file, bufferSize: 256 * 1024, flushIntervalMs: 0 });
    addSink(writer);
    const n = 20000;
    try {
      const leaf = traced("burst.leaf", (i: number) => i + 1);
      traced("burst.main", () => {
        for (let i = 0; i < n; i++) leaf(i);
      })();
    } finally {
      removeSink(writer);
    }
    // twenty 64 KiB buffers went by a pool of four without the event loop turning once
    expect(writer.writeStats.asyncWrites).toBeGreaterThan(4);
    expect(writer.writeStats.syncCatchUps).toBe(0);
    writer.shutdown();
    const rec = readRecordingFile(file);
    expect([rec.complete, rec.truncated]).toEqual([true, false]);
    const names = rec.events.flatMap((e) => (e.kind === "enter" ? [e.site.name] : []));
    expect(names.length).toBe(n + 1);
    expect(names.filter((x) => x === "burst.leaf").length).toBe(n);
  });

  it.each(["thread", "fs-write"])("should leave a complete recording when the process exits while writes are in flight (%s)", (how) => {
    const file = join(tmp, `exit-${how}-%p.ftrec`);
    const r = runNode([join(ROOT, "test/trace/record/fixtures/exit-in-flight.mjs"), file, how]);
    expect(r.stderr).toBe("");
    const { pid, calls, asyncWrites, syncCatchUps } = JSON.parse(r.stdout) as { pid: number; calls: number; asyncWrites: number; syncCatchUps: number };
    const rec = readRecordingFile(file.replace("%p", String(pid)));
    expect([rec.complete, rec.truncated]).toEqual([true, false]);
    expect(rec.events.filter((e) => e.kind === "enter")).toHaveLength(calls);
    expect(rec.events.filter((e) => e.kind === "exit")).toHaveLength(calls);
    if (how === "fs-write") {
      // no completion ran before the exit (one synchronous burst): the pool ran dry on the way
      expect(asyncWrites).toBe(0);
      expect(syncCatchUps).toBeGreaterThan(0);
    } else {
      // the writer thread kept up during the burst: no event loop needed
      expect(asyncWrites).toBeGreaterThan(0);
      expect(syncCatchUps).toBe(0);
    }
  });
});
