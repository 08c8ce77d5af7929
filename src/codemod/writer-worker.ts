import { workerData } from "node:worker_threads";
import { writeFileAtomic } from "./write-file.js";
import type { WriteDone, WriteRequest, WriterInput } from "./write-behind.js";

// The write-behind thread of write-behind.ts: each file it is sent is written atomically, and the
// outcome goes back on the port before the counter is bumped (so the main thread, woken by the
// counter, finds it there). It ends when the main thread closes its end of the port.
const { port, ctrl: buffer } = workerData as WriterInput;
const ctrl = new Int32Array(buffer);
port.on("message", (m: WriteRequest) => {
  const done: WriteDone = { i: m.i };
  try {
    writeFileAtomic(m.abs, m.text);
  } catch (err) {
    done.error = err instanceof Error ? err.message : String(err);
  }
  port.postMessage(done);
  Atomics.add(ctrl, 0, 1);
  Atomics.notify(ctrl, 0);
});
