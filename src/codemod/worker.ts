import { workerData } from "node:worker_threads";
import { processFile } from "./run.js";
import { PackageInfoCache } from "./package-info.js";
import type { WorkerInput, WorkerMessage } from "./parallel.js";

// A planning thread of parallel.ts: claim the next file from the shared counter, plan (and
// write) it, until no file is left; results go back in batches (one message per BATCH files,
// or per BATCH_MS), each followed by a bump of the result counter.
const BATCH = 64;
const BATCH_MS = 100;
const { files, task, ctrl: buffer, port } = workerData as WorkerInput;
const ctrl = new Int32Array(buffer);
const packages = new PackageInfoCache();
let batch: WorkerMessage = { i: [], r: [] };
let since = Date.now();
const flush = (): void => {
  if (batch.i.length === 0) return;
  port.postMessage(batch);
  Atomics.add(ctrl, 1, batch.i.length);
  Atomics.notify(ctrl, 1);
  batch = { i: [], r: [] };
  since = Date.now();
};
try {
  for (let i = Atomics.add(ctrl, 0, 1); i < files.length; i = Atomics.add(ctrl, 0, 1)) {
    batch.i.push(i);
    batch.r.push(processFile(files[i], task, packages));
    if (batch.i.length >= BATCH || Date.now() - since >= BATCH_MS) flush();
  }
} finally {
  flush();
  port.close();
}
