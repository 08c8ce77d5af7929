// The functrace modes a bench child can run in. Modes whose global side effects differ each get
// their own process (the driver passes --mode and, for the no-op modes, FUNCTRACE=off or
// --conditions=functrace-off). The uninstrumented baseline is measured in the same process,
// interleaved with the mode, except where the mode changes the whole process (see async.mjs).
import { createRequire } from "node:module";
import { join } from "node:path";
import { truncateSync } from "node:fs";
import { startReceiver } from "./receiver-client.mjs";

const require = createRequire(import.meta.url);

/** Labels of the modes, in table order. */
export const MODE_LABELS = {
  base: "uninstrumented",
  "off-env": "instrumented, FUNCTRACE=off",
  "off-cond": "instrumented, --conditions=functrace-off",
  removed: "instrumented then --remove",
  idle: "instrumented, nothing configured",
  rec: "enabled, recording only (RingRecorder)",
  record: "enabled, binary recording to a file (FUNCTRACE=record)",
  printer: "enabled, tree printer to a file",
  zipkin: "enabled, export Zipkin (local receiver)",
  otlp: "enabled, export OTLP/HTTP (local receiver)",
};

/** The clock a mode's rows use: CPU time for the export rows (the wait on the receiver is not a cost). */
export function modeClock(mode) {
  return mode === "zipkin" || mode === "otlp" ? "cpu" : "wall";
}

/** Which copy of the workloads a mode runs: original, instrumented, or instrumented+removed. */
export function copyFor(mode) {
  if (mode === "base") return "orig";
  if (mode === "removed") return "removed";
  return "inst";
}

/**
 * A require() whose parent lives in the scratch folder: "functrace" then resolves like the
 * instrumented code resolves it (scratch node_modules -> package snapshot), never through this
 * package's self-reference (require.resolve's `paths` would not stop that).
 */
const scratchRequire = (benchDir) => createRequire(join(benchDir, "inst", "resolve-from-here.js"));

/** The built functrace (CommonJS), resolved like instrumented code resolves it. */
export function loadFunctrace(benchDir) {
  return scratchRequire(benchDir)("functrace");
}

/** getExportStats: public once the export work is in src/index.ts; else from the build. */
export function exportStats(ft, benchDir) {
  if (typeof ft.getExportStats === "function") return ft.getExportStats();
  const main = scratchRequire(benchDir).resolve("functrace");
  return require(join(main, "..", "trace/export/index.js")).getExportStats();
}

/**
 * Sets the mode up. Returns { clock, wrap(fn) (adds the flush an export row must pay for),
 * after() (between samples, untimed), info() (counters for the row), close() }.
 */
export async function setupMode(mode, benchDir) {
  const plain = { clock: "wall", wrap: (fn) => fn, after: undefined, info: async () => ({}), close: async () => {} };
  if (mode === "base" || mode === "removed") return plain;
  const ft = loadFunctrace(benchDir);
  if (mode === "off-env") {
    const a = ft.__ft.enter("x", "x", 1);
    if (a !== ft.__ft.enter("y", "y", 2) || ft.isNoop) throw new Error("FUNCTRACE=off did not select the no-op entry points");
    return plain;
  }
  if (mode === "off-cond") {
    if (ft.isNoop !== true) throw new Error("--conditions=functrace-off did not resolve the no-op twin");
    return plain;
  }
  if (mode === "idle") return plain;
  if (mode === "rec") {
    const recorder = new ft.RingRecorder();
    ft.addSink(recorder);
    return { ...plain, info: async () => ({ recorded: recorder.total }) };
  }
  if (mode === "record") {
    // the binary recorder, to a file truncated between samples (as the printer's)
    const file = join(benchDir, `record-${process.pid}.ftrec`);
    ft.configure({ record: { file } });
    return { ...plain, after: () => ft.flush().then(() => truncateSync(file, 0)) };
  }
  if (mode === "printer") {
    const file = join(benchDir, `printer-${process.pid}.log`);
    ft.configure({ printer: { output: file } });
    return { ...plain, after: () => ft.flush().then(() => truncateSync(file, 0)) };
  }
  if (mode === "zipkin" || mode === "otlp") return setupExport(ft, mode, benchDir);
  throw new Error(`unknown mode ${mode}`);
}

/**
 * Spans per sample at least, in the export rows and their SDK peer: one full export batch
 * (functrace's default maxExportBatchSize). Each sample ends with a flush, one HTTP request; a
 * sample of a few hundred calls (the megamorphic row calibrated to 290 on a cold exporter)
 * charged each span a share of a request that a steady exporter spreads over a whole batch.
 */
export const EXPORT_BATCH = 2048;

/**
 * Calls run untimed after each sample's forced GC in the export rows and their SDK peer. A
 * full GC leaves an exporting process slow for a while (new space shrunk, allocation sites'
 * pretenuring reset, sweeping on helper threads that the CPU clock counts): semver's grid
 * (27,027 spans) with Zipkin export cost 46.5 ms of CPU after one re-warm grid, 29.6 ms after
 * four, 31.4 after sixteen, 25 ms in a loop with no forced GC (Node 22). The SDK peer paid it
 * more: 4,584 ns a span on the 512-calls-a-turn row with the old re-warm, 1,372 ns with this
 * one (Node 24; the export-cost bench, which forces no GC, reads 1,300-2,500). A running
 * program does not see the transient: both sides are measured past it.
 */
export const EXPORT_WARM = 100_000;

async function setupExport(ft, mode, benchDir) {
  const receiver = await startReceiver(0);
  const url = mode === "zipkin" ? `${receiver.base}/api/v2/spans` : `${receiver.base}/v1/traces`;
  // A queue large enough that no span of a timed sample is dropped: the row is the cost of
  // exporting every span (batches of OpenTelemetry's default 512), serialization and HTTP included;
  // the byte bound (2 MiB by default, for memory under a slow receiver) is lifted for the same reason.
  ft.configure({ exporters: [{ type: mode, url }], batch: { maxQueueSize: 1 << 20, maxQueuedBytes: 1 << 30 } });
  return {
    clock: modeClock(mode),
    minCalls: EXPORT_BATCH,
    warmCalls: EXPORT_WARM,
    wrap: (fn) => async (n) => {
      const r = fn(n);
      const v = r && typeof r.then === "function" ? await r : r;
      await ft.flush();
      return v;
    },
    after: undefined,
    info: async () => {
      await ft.flush();
      const stats = exportStats(ft, benchDir);
      const received = await receiver.stats();
      return {
        exported: stats.reduce((a, s) => a + s.exported, 0),
        dropped: stats.reduce((a, s) => a + s.dropped, 0),
        receivedRequests: received.requests,
        receivedBytes: received.bytes,
      };
    },
    close: async () => {
      await ft.shutdown();
      receiver.stop();
    },
  };
}

/** Number of traced calls fn(1) makes, counted by a temporary sink (enabled modes only). */
export async function countCalls(ft, fn) {
  let calls = 0;
  const counter = { onExit() { calls++; } };
  ft.addSink(counter);
  const r = fn(1);
  if (r && typeof r.then === "function") await r;
  ft.removeSink(counter);
  return calls;
}
