import type { BatchOptions } from "./export-channel.js";

/**
 * The default of batch.maxQueuedBytes. 1 MiB took Node 24's export-memory row from +17.1 to
 * +15.4 MB (median of 5) but dropped 2,000 of a 5,000-call program's spans before its natural
 * end (test/trace/real-services/end-of-run.test.ts): a burst before the first send must fit
 * (2 MiB at the 256 bytes a span assumed before measuring admits 8,192 calls).
 */
export const DEFAULT_MAX_QUEUED_BYTES = 2 * 1024 * 1024;

/*
 * Sized for function tracing, not for request spans: a program makes millions of calls, so the
 * queue holds 64k spans (OpenTelemetry's 2,048 fills in a millisecond) and a batch is 2,048
 * spans. Batches leave every second, so a stopped program has little left to send. The natural
 * end of a program waits at most exitTimeoutMillis (2 s) in all, however many batches remain.
 */
const DEFAULTS: Required<BatchOptions> = {
  maxQueueSize: 65_536,
  maxExportBatchSize: 2048,
  scheduledDelayMillis: 1000,
  exportTimeoutMillis: 30000,
  exitTimeoutMillis: 2000,
  // encoded bytes, not spans: what a slow receiver may cost in memory (issue 14: +16 MB budget)
  maxQueuedBytes: DEFAULT_MAX_QUEUED_BYTES,
};

const ENV: Record<keyof BatchOptions, string> = {
  maxQueueSize: "OTEL_BSP_MAX_QUEUE_SIZE",
  maxExportBatchSize: "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
  scheduledDelayMillis: "OTEL_BSP_SCHEDULE_DELAY",
  exportTimeoutMillis: "OTEL_BSP_EXPORT_TIMEOUT",
  exitTimeoutMillis: "FUNCTRACE_EXIT_TIMEOUT_MS",
  maxQueuedBytes: "FUNCTRACE_EXPORT_MAX_BYTES",
};

/** Checks batch options; one message per problem, naming the field. */
export function validateBatchOptions(options: BatchOptions, where = "batch"): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(DEFAULTS) as (keyof BatchOptions)[]) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) problems.push(`${where}.${key}: expected an integer > 0, got ${value}`);
  }
  return problems;
}

/**
 * Code settings first, then the OTEL_BSP_* variables, then OpenTelemetry's defaults. Invalid
 * variables are ignored (the caller reports them); the batch size never exceeds the queue.
 */
export function resolveBatchOptions(code: BatchOptions = {}, env: Record<string, string | undefined> = process.env): Required<BatchOptions> {
  const out = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof BatchOptions)[]) {
    const raw = env[ENV[key]]?.trim();
    const fromEnv = raw === undefined || raw === "" ? undefined : Number(raw);
    const value = code[key] ?? (fromEnv !== undefined && Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined);
    if (value !== undefined) out[key] = value;
  }
  out.maxExportBatchSize = Math.min(out.maxExportBatchSize, out.maxQueueSize);
  return out;
}
