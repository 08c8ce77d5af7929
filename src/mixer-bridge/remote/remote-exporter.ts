/**
 * The span bridge's remote mode: instead of an embedded dispatcher, finished calls go to a
 * `functrace-mixer serve` process as Istio Report calls. `encodeColumns` (when a batch is
 * built) turns rows into delta-encoded ReportRequests, already serialized; the export
 * pipeline queues those payloads (bounded by its maxQueueSize; what does not fit is dropped
 * and counted in `getExportStats()`), and `send` makes the calls. A server that is down or
 * overloaded (UNAVAILABLE, RESOURCE_EXHAUSTED) is retried with exponential backoff within the
 * call budget; the channel reconnects on its own with backoff. A payload that still fails
 * rejects, so its spans count as dropped. Calls never keep the program alive past the
 * pipeline's exit deadline.
 */
import { Client, Metadata, credentials, status, type ServiceError } from "@grpc/grpc-js";
import { reportOnce } from "../../trace/diag.js";
import type { ColumnarSpanExporter, ExportedSpan } from "../../trace/export/exported-span.js";
import { SpanColumns } from "../../trace/export/span-columns.js";
import { SpanBag, type SpanBagEnv } from "../span-bag.js";
import { encodeBatch, frame, unframe } from "./encode-batch.js";

const REPORT_PATH = "/istio.mixer.v1.Mixer/Report";
const NO_ROWS = new SpanColumns(1);
const RETRYABLE = new Set<number>([status.UNAVAILABLE, status.RESOURCE_EXHAUSTED]);

/** Options of the remote client. */
export interface RemoteOptions {
  readonly token?: string;
  /** Deadline of one Report call, and the budget for retrying one payload (ms). */
  readonly callTimeoutMs: number;
  /** First retry delay (ms, default 100); doubles up to `maxBackoffMs` (default 5000). */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/** Counters of the remote bridge (besides the pipeline's exported/dropped). */
export interface RemoteBridgeStats {
  spans: number;
  /** Report calls that succeeded. */
  requests: number;
  /** Calls retried after UNAVAILABLE or RESOURCE_EXHAUSTED. */
  retries: number;
  /** Calls the server answered with an error (e.g. UNKNOWN: an adapter failed); the valid sets were dispatched. */
  serverErrors: number;
  /** Calls given up on (their payload's spans count as dropped). */
  failed: number;
  overflowed: number;
  functions: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

export class RemoteMixerExporter implements ColumnarSpanExporter {
  readonly name = "mixer";
  readonly remote: string;
  private readonly _client: Client;
  private readonly _opts: RemoteOptions;
  private readonly _env: SpanBagEnv;
  private readonly _bag: SpanBag;
  private readonly _stats = { spans: 0, requests: 0, retries: 0, serverErrors: 0, failed: 0 };
  private _backoffMs = 0;
  private _closed = false;

  constructor(remote: string, opts: RemoteOptions, env: SpanBagEnv) {
    this.remote = remote;
    this._opts = opts;
    this._env = env;
    this._bag = new SpanBag(NO_ROWS, env);
    this._client = new Client(remote, credentials.createInsecure(), {
      "grpc.initial_reconnect_backoff_ms": opts.initialBackoffMs ?? 100,
      "grpc.max_reconnect_backoff_ms": opts.maxBackoffMs ?? 5000,
      "grpc.enable_retries": 0,
    });
  }

  get stats(): RemoteBridgeStats {
    return { ...this._stats, overflowed: this._env.names.overflowed, functions: this._env.names.distinct };
  }

  encodeColumns(batch: SpanColumns, from: number, to: number): Uint8Array {
    if (this._closed || to <= from) return new Uint8Array(0);
    const messages = encodeBatch(this._bag, batch, from, to);
    this._bag.at(NO_ROWS, 0); // let go of the batch
    this._stats.spans += to - from;
    return frame(messages);
  }

  async send(payload: Uint8Array): Promise<void> {
    const messages = unframe(payload);
    if (messages.length === 0) return;
    const deadline = Date.now() + this._opts.callTimeoutMs;
    const results = await Promise.all(messages.map((m) => this._report(m, deadline)));
    const failed = results.find((r) => r !== undefined);
    if (failed !== undefined) throw new Error(`mixer remote ${this.remote}: Report failed: ${failed}`);
  }

  /** One call with retries; undefined when delivered, else why not. */
  private async _report(message: Buffer, deadline: number): Promise<string | undefined> {
    for (;;) {
      const err = await this._call(message, deadline);
      if (err === null) {
        this._stats.requests++;
        this._backoffMs = 0;
        return undefined;
      }
      if (err.code === status.UNKNOWN) {
        // The server dispatched the valid sets and reports what failed (an adapter, a bad set).
        this._stats.serverErrors++;
        reportOnce(`mixer-remote:server:${err.details}`, `mixer remote ${this.remote}: the server reported: ${err.details}`, undefined, "warn");
        return undefined;
      }
      if (err.code === status.UNAUTHENTICATED) reportOnce(`mixer-remote:auth:${this.remote}`, `mixer remote ${this.remote}: refused: ${err.details} (option token, FUNCTRACE_MIXER_TOKEN)`, undefined, "warn");
      const wait = (this._backoffMs = Math.min(this._opts.maxBackoffMs ?? 5000, this._backoffMs === 0 ? (this._opts.initialBackoffMs ?? 100) : this._backoffMs * 2));
      if (this._closed || !RETRYABLE.has(err.code) || Date.now() + wait >= deadline) {
        this._stats.failed++;
        return `${status[err.code] ?? err.code}: ${err.details}`;
      }
      this._stats.retries++;
      await sleep(wait * (0.8 + Math.random() * 0.4));
    }
  }

  private _call(message: Buffer, deadline: number): Promise<ServiceError | null> {
    const md = new Metadata();
    if (this._opts.token !== undefined) md.set("authorization", `Bearer ${this._opts.token}`);
    return new Promise((resolve) => {
      this._client.makeUnaryRequest(
        REPORT_PATH,
        (b: Buffer) => b,
        (b: Buffer) => b,
        message,
        md,
        { deadline },
        (err) => resolve(err ?? null),
      );
    });
  }

  export(spans: readonly ExportedSpan[]): void | Promise<void> {
    if (spans.length === 0) return;
    throw new Error("the mixer exporter reads the export columns (encodeColumns); span objects are not supported");
  }

  async shutdown(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    this._client.close();
  }
}
