import { performance } from "node:perf_hooks";
import { spanIdHigh, type FlowLink } from "../span-ids.js";
import type { ExportedSpan, SpanOrigin } from "../exported-span.js";
import type { SpanColumns } from "../span-columns.js";
import * as A from "../../otel/attribute-names.js";
import { JsonBytes, utf8 } from "./json-bytes.js";

const ORIGIN = performance.timeOrigin;
const MAX_SITES = 10_000;
const OPEN = utf8('{"traceId":"');
const ID = utf8('","id":"');
const PARENT = utf8('","parentId":"');
const DURATION = utf8(',"duration":');
const DEPTH = utf8(`","${A.ATTR_FUNCTRACE_DEPTH}":"`);
const ASYNC = utf8(`","${A.ATTR_FUNCTRACE_ASYNC}":"true`);
const STATUS_ERROR = utf8(`","otel.status_code":"ERROR"`);
const ERROR_TAG = utf8(',"error":');
const ANNOTATION = utf8(',"annotations":[{"timestamp":');
const ANNOTATION_END = utf8(',"value":"exception"}]');
const KIND_SERVER = utf8(',"kind":"SERVER"');
const COMMA = 44;
const QUOTE = 34;
const CLOSE = 125;

/** The bytes of one function site around the numbers: name, endpoint, code.* tags, escaped once. */
class Site {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly next: Site | null;
  /**
   * Everything constant from the name to the flow id, one fragment (the times come after the
   * tags: JSON key order is free): `","name":"f","localEndpoint":{…},"tags":{"code.function.name":"f",…,"functrace.flow":"`
   */
  readonly block: Uint8Array;

  constructor(name: string, file: string, line: number, next: Site | null, endpoint: string) {
    this.name = name;
    this.file = file;
    this.line = line;
    this.next = next;
    const json = JSON.stringify(name);
    let block = `","name":${json}${endpoint},"tags":{"${A.ATTR_CODE_FUNCTION_NAME}":${json}`;
    if (file !== "") block += `,"${A.ATTR_CODE_FILE_PATH}":${JSON.stringify(file)}`;
    if (line > 0) block += `,"${A.ATTR_CODE_LINE_NUMBER}":"${line}"`;
    this.block = utf8(`${block},"${A.ATTR_FUNCTRACE_FLOW}":"`);
  }
}

/**
 * Zipkin v2 JSON (https://zipkin.io/zipkin-api/#/default/post_spans), written as UTF-8 bytes
 * straight from the export sink's columns: no ReadableSpan, no intermediate objects or strings,
 * the escaped form of each function's name and file cached. Same content as the OpenTelemetry
 * SDK's ZipkinExporter gives these spans: kind omitted (INTERNAL), times in whole epoch
 * microseconds (a duration is at least 1 µs), the span and resource attributes as string tags,
 * `otel.status_code` and `error` for a failure, whose "exception" event becomes an annotation.
 */
export class ZipkinEncoder {
  private readonly _sites = new Map<string, Site>();
  private readonly _endpoint: string;
  /** `"<resource tags>},"timestamp":` (closes functrace.depth, then the tags). */
  private readonly _tailPlain: Uint8Array;
  /** `<resource tags>},"timestamp":` (after tags that end outside a string). */
  private readonly _tailTags: Uint8Array;
  private readonly _out = new JsonBytes();
  private _high = -1;
  private _idHead: Uint8Array = new Uint8Array(0);
  private _parentHead: Uint8Array = new Uint8Array(0);
  private _prevTrace: FlowLink | null = null;
  private _headTrace: FlowLink | null = null;
  private _cachedHead: Uint8Array = new Uint8Array(0);

  constructor(serviceName: string, resourceTags: Record<string, string>) {
    this._endpoint = `,"localEndpoint":{"serviceName":${JSON.stringify(serviceName)}}`;
    let resource = "";
    for (const [key, value] of Object.entries(resourceTags)) resource += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
    this._tailPlain = utf8(`"${resource}},"timestamp":`);
    this._tailTags = utf8(`${resource}},"timestamp":`);
  }

  /** A payload this encoder made that was sent and is no longer read (its buffer is reused). */
  recycle(payload: Uint8Array): void {
    this._out.recycle(payload);
  }

  /** Rows [from, to) of a batch as one JSON array (UTF-8). */
  encodeColumns(batch: SpanColumns, from: number, to: number): Uint8Array {
    const out = this._out;
    out.ensure(1);
    out.buf[out.pos++] = 91; // [
    for (let i = from; i < to; i++) {
      const site = this._site(batch.names[i], batch.files[i], batch.lines[i]);
      out.ensure(200 + site.block.length + this._tailPlain.length);
      if (i !== from) out.buf[out.pos++] = COMMA;
      const id = batch.ids[i];
      const high = spanIdHigh(id);
      this._head(batch.traceLink(i), high);
      out.hex8(id >>> 0);
      const parent = batch.parents[i];
      if (parent > 0) {
        const parentHigh = spanIdHigh(parent);
        if (parentHigh === high) out.bytes(this._parentHead);
        else {
          out.bytes(PARENT);
          out.hex8(parentHigh);
        }
        out.hex8(parent >>> 0);
      } else if (parent < 0) {
        out.bytes(PARENT);
        out.ascii(batch.foreignParents.get(i) ?? "0000000000000000");
      }
      const failed = batch.failed(i);
      const plain = batch.entries.size === 0 && batch.flags[i] < 4;
      const extra = plain ? "" : extraTags(batch.request(i), batch.origin(i));
      this._rest(site, batch.starts[i], batch.ends[i], batch.flowIds[i], batch.depths[i], batch.async(i), failed, failed ? batch.errors.get(i) : undefined, extra, !plain && batch.request(i) !== null);
    }
    out.ensure(1);
    out.buf[out.pos++] = 93; // ]
    return out.take();
  }

  /** ExportedSpan objects as one JSON array (UTF-8). */
  encodeSpans(spans: readonly ExportedSpan[]): Uint8Array {
    const out = this._out;
    out.ensure(1);
    out.buf[out.pos++] = 91;
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i];
      const site = this._site(s.name, s.file, s.line);
      out.ensure(200 + site.block.length + this._tailPlain.length);
      if (i !== 0) out.buf[out.pos++] = COMMA;
      out.bytes(OPEN);
      out.ascii(s.traceId);
      out.bytes(ID);
      out.ascii(s.spanId);
      if (s.parentSpanId !== undefined) {
        out.bytes(PARENT);
        out.ascii(s.parentSpanId);
      }
      this._rest(site, s.start, s.end, s.flowId, s.depth, s.async, s.failed, s.error, extraTags(s.request ?? null, s.origin ?? null), s.request !== undefined);
    }
    out.ensure(1);
    out.buf[out.pos++] = 93;
    return out.take();
  }

  /** From the name to the end of the span (room for the fixed parts is ensured by the caller). */
  private _rest(
    site: Site,
    start: number,
    end: number,
    flowId: number,
    depth: number,
    async: boolean,
    failed: boolean,
    error: unknown,
    extra = "",
    server = false,
  ): void {
    const out = this._out;
    const startUs = Math.round((ORIGIN + start) * 1000);
    const durationUs = Math.max(1, Math.round((end - start) * 1000));
    out.bytes(site.block);
    out.uint(flowId);
    out.bytes(DEPTH);
    out.uint(depth);
    if (async) out.bytes(ASYNC);
    if (!failed && extra === "") {
      out.bytes(this._tailPlain);
      out.micros(startUs);
      out.bytes(DURATION);
      out.uint(durationUs);
      out.buf[out.pos++] = CLOSE;
      return;
    }
    if (failed) {
      out.bytes(STATUS_ERROR);
      const message = errorMessage(error);
      if (message !== "") {
        out.bytes(ERROR_TAG);
        out.utf8(JSON.stringify(message));
      }
    } else {
      out.buf[out.pos++] = QUOTE;
    }
    if (extra !== "") out.utf8(extra);
    out.ensure(this._tailTags.length + 120);
    out.bytes(this._tailTags);
    out.micros(startUs);
    out.bytes(DURATION);
    out.uint(durationUs);
    if (failed) {
      out.bytes(ANNOTATION);
      out.uint(startUs + durationUs);
      out.bytes(ANNOTATION_END);
    }
    if (server) out.bytes(KIND_SERVER);
    out.buf[out.pos++] = CLOSE;
  }

  /**
   * Writes `{"traceId":"<trace>","id":"<high 8 hex digits>`. A trace seen twice in a row gets
   * its head cached as one fragment (nested calls share a trace; root calls each have their own).
   * Also keeps `","parentId":"<high>` for parents with the same high half.
   */
  private _head(link: FlowLink, high: number): void {
    const out = this._out;
    if (high !== this._high) {
      const hex = high.toString(16).padStart(8, "0");
      this._high = high;
      this._idHead = utf8(`","id":"${hex}`);
      this._parentHead = utf8(`","parentId":"${hex}`);
      this._headTrace = null;
    }
    if (link === this._headTrace) {
      out.bytes(this._cachedHead);
      return;
    }
    if (link === this._prevTrace) {
      const traceId = link.traceId;
      this._headTrace = link;
      this._cachedHead = new Uint8Array(OPEN.length + traceId.length + this._idHead.length);
      this._cachedHead.set(OPEN, 0);
      for (let k = 0; k < traceId.length; k++) this._cachedHead[OPEN.length + k] = traceId.charCodeAt(k);
      this._cachedHead.set(this._idHead, OPEN.length + traceId.length);
      out.bytes(this._cachedHead);
      return;
    }
    this._prevTrace = link;
    out.bytes(OPEN);
    if (link.generated) {
      out.hex8(link.w0);
      out.hex8(link.w1);
      out.hex8(link.w2);
      out.hex8(link.w3);
    } else {
      out.ascii(link.traceId);
    }
    out.bytes(this._idHead);
  }

  private _site(name: string, file: string, line: number): Site {
    // Rows of one site often follow each other (a loop of calls): check the last one first.
    const last = this._lastSite;
    if (last !== null && last.name === name && last.file === file && last.line === line) return last;
    const found = this._findSite(name, file, line);
    this._lastSite = found;
    return found;
  }

  private _lastSite: Site | null = null;

  private _findSite(name: string, file: string, line: number): Site {
    const first = this._sites.get(name);
    for (let s: Site | null = first ?? null; s !== null; s = s.next) if (s.file === file && s.line === line) return s;
    const site = new Site(name, file, line, first ?? null, this._endpoint);
    if (first !== undefined || this._sites.size < MAX_SITES) this._sites.set(name, site);
    return site;
  }
}

/**
 * Tags beyond a function span's own (each starting with a comma): the HTTP attributes of a
 * request's server span, and for a flow's first call that continues a call of another trace,
 * that call as `functrace.link.*` (Zipkin has no span links).
 */
function extraTags(request: { method: string; path: string; status: number } | null, origin: SpanOrigin | null): string {
  let text = "";
  if (request !== null) {
    text += `,"${A.ATTR_HTTP_REQUEST_METHOD}":${JSON.stringify(request.method)},"${A.ATTR_URL_PATH}":${JSON.stringify(request.path)}`;
    if (request.status > 0) text += `,"${A.ATTR_HTTP_RESPONSE_STATUS_CODE}":"${request.status}"`;
  }
  if (origin !== null && origin.traceId !== undefined) {
    text += `,"${A.ATTR_FUNCTRACE_LINK_TRACE_ID}":"${origin.traceId}","${A.ATTR_FUNCTRACE_LINK_SPAN_ID}":"${origin.spanId}"`;
  }
  return text;
}

function errorMessage(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return "<unprintable>";
  }
}
