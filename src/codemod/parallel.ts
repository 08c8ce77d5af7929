import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { processFile, type FileResult, type TaskOptions } from "./run.js";
import { PackageInfoCache } from "./package-info.js";
import { builtWorker } from "./built-worker.js";

/*
 * Planning on several threads, still synchronous for the caller (cli.ts `main` returns an exit
 * code). The main thread and the workers take files from one shared counter (an Int32Array on a
 * SharedArrayBuffer), so the load balances itself and a big file never holds up a queue. Workers
 * post results in batches on their own port and bump a second counter; the main thread picks them up
 * with receiveMessageOnPort between its own files, and at the end sleeps on that counter
 * (Atomics.wait). A worker that does not start, or dies, costs nothing but time: the main thread
 * takes the files nobody claimed, and after RACE_AFTER_MS without news plans any file still
 * missing itself (planning is pure; writes are atomic, per thread temporary names).
 */

/** Below this much source, one thread: a worker costs a thread and a compiler load (~0.2–0.3 s of CPU). */
export const PARALLEL_MIN_BYTES = 1 << 20;
/** A thread per this much source at most (so a 1.5 MiB tree gets 2 threads, not 8). */
const BYTES_PER_THREAD = 512 << 10;
const RACE_AFTER_MS = 2_000;

/**
 * How many threads (the main one included) to plan these files on: `jobs` when given, else one
 * per CPU but one, and one when the files are small in total or there is no worker entry.
 */
export function threadsFor(files: string[], jobs: number | undefined): number {
  // Auto: one CPU is left to V8's own background threads (concurrent compilers and GC), which
  // keep a second core about half busy behind a single planning thread. Measured on 2 vCPUs
  // (Node 20 and 24), a second planning thread (its own compiler load and JIT warm-up, ~1 s of
  // CPU on the 2,004-file tree) made the run slower, so 2 CPUs plan on one thread.
  const cap = Math.min(jobs ?? availableParallelism() - 1, files.length);
  if (cap <= 1 || !builtWorker("worker")) return 1;
  if (jobs !== undefined) return cap;
  let bytes = 0;
  for (const f of files) {
    try {
      bytes += statSync(f).size;
    } catch {
      // planning reports it
    }
  }
  if (bytes < PARALLEL_MIN_BYTES) return 1;
  return Math.max(1, Math.min(cap, Math.floor(bytes / BYTES_PER_THREAD)));
}

/** What a worker gets (worker.ts). */
export interface WorkerInput {
  files: string[];
  task: TaskOptions;
  /** [0]: next file index to claim; [1]: results posted so far (workers notify on it). */
  ctrl: SharedArrayBuffer;
  port: MessagePort;
}

/** What a worker posts: a batch of results, `r[k]` for file index `i[k]`. */
export interface WorkerMessage {
  i: number[];
  r: FileResult[];
}

/** Plan (and with `task.write`, write) every file on `threads` threads; results in `files` order. */
export function planInParallel(files: string[], task: TaskOptions, threads: number, onResult: (r: FileResult) => void): FileResult[] {
  const n = files.length;
  const ctrl = new Int32Array(new SharedArrayBuffer(8));
  const ports: MessagePort[] = [];
  const workers: Worker[] = [];
  const file = builtWorker("worker");
  for (let k = 1; k < threads && file; k++) {
    const { port1, port2 } = new MessageChannel();
    try {
      const input: WorkerInput = { files, task, ctrl: ctrl.buffer as SharedArrayBuffer, port: port2 };
      const w = new Worker(file, { workerData: input, transferList: [port2], stdout: false, stderr: false });
      w.unref();
      w.on("error", () => {}); // the main thread covers for it (see above)
      workers.push(w);
      ports.push(port1);
    } catch {
      port1.close();
      break;
    }
  }
  const results: (FileResult | undefined)[] = new Array<FileResult | undefined>(n);
  let have = 0;
  const take = (i: number, r: FileResult): void => {
    if (results[i] !== undefined) return;
    results[i] = r;
    have++;
    onResult(r);
  };
  const drain = (): void => {
    for (const port of ports) {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        const msg = m.message as WorkerMessage;
        for (let k = 0; k < msg.i.length; k++) take(msg.i[k], msg.r[k]);
      }
    }
  };
  const packages = new PackageInfoCache();
  for (let i = Atomics.add(ctrl, 0, 1); i < n; i = Atomics.add(ctrl, 0, 1)) {
    take(i, processFile(files[i], task, packages));
    drain();
  }
  let lastNews = Date.now();
  while (have < n) {
    const seen = Atomics.load(ctrl, 1);
    const before = have;
    drain();
    if (have >= n) break;
    if (have > before) lastNews = Date.now();
    if (Atomics.wait(ctrl, 1, seen, 50) !== "timed-out") lastNews = Date.now();
    else if (Date.now() - lastNews > RACE_AFTER_MS) {
      for (let i = 0; i < n; i++) if (results[i] === undefined) take(i, processFile(files[i], task, packages));
    }
  }
  for (const port of ports) port.close();
  for (const w of workers) void w.terminate();
  return results as FileResult[];
}
