import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BufferedWriter } from "../../src/trace/buffered-writer.js";

/**
 * The printer's byte buffer when a write fails part-way: a stack overflow at the bottom of a deep
 * recursion (RangeError from the retry after a partial write to a full pipe) must not drop or
 * tear what was buffered; a destination that fails for good must not make the buffer grow.
 */
describe("BufferedWriter when a write throws", () => {
  const dir = mkdtempSync(join(tmpdir(), "ft-writer-"));
  // the CommonJS module object (an ES namespace's bindings cannot be spied on): the one the writer calls
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require("node:fs") as typeof import("node:fs");
  const realWrite = fs.writeSync;
  afterEach(() => jest.restoreAllMocks());

  /** writeSync that writes `partial` bytes of the first call, then throws `error` once. */
  function failOnce(partial: number, error: Error) {
    let calls = 0;
    return jest.spyOn(fs, "writeSync").mockImplementation(((fd: number, buf: Buffer, off: number, len: number) => {
      calls++;
      if (calls === 1) return realWrite(fd, buf, off, Math.min(partial, len));
      if (calls === 2) throw error;
      return realWrite(fd, buf, off, len);
    }) as typeof fs.writeSync);
  }

  const lines = Array.from({ length: 50 }, (_, i) => `line ${i}: ${"x".repeat(i)}\n`).join("");

  it("a stack overflow after a partial write keeps the rest for the next flush: nothing lost, nothing torn", () => {
    const file = join(dir, "overflow.txt");
    const w = new BufferedWriter(file);
    w.text(lines);
    failOnce(37, new RangeError("Maximum call stack size exceeded"));
    expect(() => w.flush()).toThrow(RangeError);
    expect(readFileSync(file, "utf8")).toBe(lines.slice(0, 37));
    w.text("after\n");
    w.close();
    expect(readFileSync(file, "utf8")).toBe(lines + "after\n");
  });

  it("a full pipe (EAGAIN) is waited on and retried from where the write stopped", () => {
    const file = join(dir, "eagain.txt");
    const w = new BufferedWriter(file);
    w.text(lines);
    failOnce(100, Object.assign(new Error("EAGAIN: resource temporarily unavailable, write"), { code: "EAGAIN" }));
    w.flush();
    w.close();
    expect(readFileSync(file, "utf8")).toBe(lines);
  });

  it("a destination that fails for good drops what it could not take, and the writer stays bounded", () => {
    const file = join(dir, "broken.txt");
    const w = new BufferedWriter(file);
    w.text(lines);
    failOnce(10, Object.assign(new Error("EPIPE: broken pipe, write"), { code: "EPIPE" }));
    expect(() => w.flush()).toThrow(/EPIPE/);
    expect(w.pos).toBe(0);
    w.text("next\n");
    w.close();
    expect(readFileSync(file, "utf8")).toBe(lines.slice(0, 10) + "next\n");
  });

  it("the timer's flush never throws into the event loop", async () => {
    const file = join(dir, "timer.txt");
    const w = new BufferedWriter(file);
    w.text(lines);
    w.written();
    const spy = jest.spyOn(fs, "writeSync").mockImplementation(() => {
      throw Object.assign(new Error("EBADF: bad file descriptor, write"), { code: "EBADF" });
    });
    const uncaught = jest.fn();
    process.on("uncaughtException", uncaught);
    try {
      await new Promise((resolve) => setTimeout(resolve, 80));
    } finally {
      process.off("uncaughtException", uncaught);
    }
    expect(spy).toHaveBeenCalled();
    expect(uncaught).not.toHaveBeenCalled();
    expect(w.pos).toBe(0);
    spy.mockRestore();
    w.close();
  });
});
