import { performance } from "node:perf_hooks";
import { spanIdHigh, type FlowLink } from "../span-ids.js";
import { FOREIGN_PARENT, type SpanColumns } from "../span-columns.js";
import type { ExportedSpan, SpanOrigin } from "../exported-span.js";
import type { RequestInfo } from "../../frame.js";
import * as A from "../../otel/attribute-names.js";

/**
 * One span as the OTLP encoders read it: a reused, mutable record filled from a row of the
 * columns (or from an ExportedSpan), ids as 32-bit words so that both encodings write them
 * without strings. Same content as the SDK path's FunctionReadableSpan (readable-span.ts).
 */
export class OtlpRow {
  /** The 128-bit trace id, high word first; the words of ids are int32 (see spanIdHigh). */
  t0 = 0;
  t1 = 0;
  t2 = 0;
  t3 = 0;
  idHigh = 0;
  idLow = 0;
  hasParent = false;
  parentHigh = 0;
  parentLow = 0;
  name = "";
  file = "";
  line = 0;
  /** performance.now() milliseconds. */
  start = 0;
  end = 0;
  flowId = 0;
  depth = 0;
  async = false;
  failed = false;
  error: unknown = undefined;
  request: RequestInfo | { readonly method: string; readonly path: string; readonly status: number } | null =
    null;
  origin: SpanOrigin | null = null;

  private _link: FlowLink | null = null;
  private _text = "";

  /** Row i of a batch. */
  fromColumns(batch: SpanColumns, i: number): void {
    const link = batch.traceLink(i);
    if (link !== this._link) {
      this._link = link;
      if (link.generated) {
        this.t0 = link.w0;
        this.t1 = link.w1;
        this.t2 = link.w2;
        this.t3 = link.w3;
      } else {
        this._traceText(link.traceId);
      }
    }
    const id = batch.ids[i];
    this.idHigh = spanIdHigh(id);
    this.idLow = id | 0;
    const parent = batch.parents[i];
    if (parent > 0) {
      this.hasParent = true;
      this.parentHigh = spanIdHigh(parent);
      this.parentLow = parent | 0;
    } else if (parent === FOREIGN_PARENT) {
      this._parentText(batch.foreignParents.get(i));
    } else {
      this.hasParent = false;
    }
    this.name = batch.names[i];
    this.file = batch.files[i];
    this.line = batch.lines[i];
    this.start = batch.starts[i];
    this.end = batch.ends[i];
    this.flowId = batch.flowIds[i];
    this.depth = batch.depths[i];
    const flags = batch.flags[i];
    this.async = (flags & 2) !== 0;
    this.failed = (flags & 1) !== 0;
    this.error = this.failed ? batch.errors.get(i) : undefined;
    this.request = flags >= 4 ? batch.request(i) : null;
    this.origin = batch.entries.size === 0 ? null : batch.origin(i);
  }

  /** An ExportedSpan (exporters used through `export(spans)`). */
  fromSpan(s: ExportedSpan): void {
    this._link = null;
    this._traceText(s.traceId);
    this.idHigh = hexWord(s.spanId, 0);
    this.idLow = hexWord(s.spanId, 8);
    this._parentText(s.parentSpanId);
    this.name = s.name;
    this.file = s.file;
    this.line = s.line;
    this.start = s.start;
    this.end = s.end;
    this.flowId = s.flowId;
    this.depth = s.depth;
    this.async = s.async;
    this.failed = s.failed;
    this.error = s.error;
    this.request = s.request ?? null;
    this.origin = s.origin ?? null;
  }

  private _traceText(traceId: string): void {
    if (traceId === this._text) return;
    this._text = traceId;
    this.t0 = hexWord(traceId, 0);
    this.t1 = hexWord(traceId, 8);
    this.t2 = hexWord(traceId, 16);
    this.t3 = hexWord(traceId, 24);
  }

  private _parentText(parent: string | undefined): void {
    if (parent === undefined || parent.length !== 16) {
      this.hasParent = false;
      return;
    }
    this.hasParent = true;
    this.parentHigh = hexWord(parent, 0);
    this.parentLow = hexWord(parent, 8);
  }
}

/** The 32-bit value of 8 hex digits at `at`, as int32 like spanIdHigh (0 for digits that are not hex). */
export function hexWord(text: string, at: number): number {
  const n = parseInt(text.slice(at, at + 8), 16);
  return Number.isNaN(n) ? 0 : n | 0;
}

/** Add to performance.now() milliseconds for epoch milliseconds. Times are sent as whole microseconds (as on the SDK path). */
export const ORIGIN = performance.timeOrigin;

/** W3C trace flags "sampled" plus OTLP's "whether the parent is remote is known" bit, as the SDK sends. */
export const SPAN_FLAGS = 0x101;
export const KIND_INTERNAL = 1;
export const KIND_SERVER = 2;
export const STATUS_ERROR = 2;

/** The message of a failure (what the SDK path puts in the status and the exception event). */
export function errorMessage(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return "<unprintable>";
  }
}

/** The attributes of the "exception" event, semantic conventions (exception.*). */
export function exceptionAttributes(error: unknown): [string, string][] {
  const out: [string, string][] = [["exception.message", errorMessage(error)]];
  try {
    if (error instanceof Error) {
      out.push(["exception.type", error.name]);
      if (typeof error.stack === "string") out.push(["exception.stacktrace", error.stack]);
    } else {
      out.push(["exception.type", typeof error]);
    }
  } catch {
    // A hostile error object must not break export.
  }
  return out;
}

/** The resource of function spans: resource-tags.ts's service.name and OTEL_RESOURCE_ATTRIBUTES, plus telemetry.sdk.*. */
export function otlpResourceAttributes(tags: Record<string, string>): [string, string][] {
  const out = new Map<string, string>([
    ["telemetry.sdk.language", "nodejs"],
    ["telemetry.sdk.name", "functrace"],
    ["telemetry.sdk.version", A.SCOPE_VERSION],
  ]);
  for (const [key, value] of Object.entries(tags)) out.set(key, value);
  return [...out];
}
