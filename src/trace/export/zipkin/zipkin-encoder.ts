import { performance } from "node:perf_hooks";
import { spanIdHigh } from "../span-ids.js";
import type { ExportedSpan, SpanOrigin } from "../exported-span.js";
import type { SpanColumns } from "../span-columns.js";
import * as A from "../../otel/attribute-names.js";
import { JsonBytes, utf8 } from "./json-bytes.js";
import { FRAGMENT_SLACK, Fragment, SecondsFragment, fragment, putAscii, putFragment, putHex8, putUint } from "../json-fields.js";
import { JsonTraceHead } from "../json-trace-head.js";

const ORIGIN = performance.timeOrigin;
const MAX_SITES = 10_000;
const OPEN = utf8('{"traceId":"');
const ID = utf8('","id":"');
const PARENT = utf8('","parentId":"');
const DURATION = utf8(',"duration":');
const OPEN_FRAGMENT = fragment('{"traceId":"');
const PARENT_FRAGMENT = fragment('","parentId":"');
const DURATION_FRAGMENT = fragment(',"duration":');
/** Depths below this get the rest of a plain span's tags (depth, async, resource) as one fragment. */
const TAIL_DEPTHS = 64;
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
  readonly block: Fragment;

  constructor(name: string, file: string, line: number, next: Site | null, endpoint: string) {
    this.name = name;
    this.file = file;
    this.line = line;
    this.next = next;
    const json = JSON.stringify(name);
    let block = `","name":${json}${endpoint},"tags":{"${A.ATTR_CODE_FUNCTION_NAME}":${json}`;
    if (file !== "") block += `,"${A.ATTR_CODE_FILE_PATH}":${JSON.stringify(file)}`;
    if (line > 0) block += `,"${A.ATTR_CODE_LINE_NUMBER}":"${line}"`;
    this.block = fragment(`${block},"${A.ATTR_FUNCTRACE_FLOW}":"`);
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
  private readonly _traceHead = new JsonTraceHead('{"traceId":"', '","id":"', '","parentId":"');
  /** `[2 * depth + async]`: `","functrace.depth":"<depth>[","functrace.async":"true]"<resource tags>},"timestamp":` and the seconds. */
  private readonly _plainTails: SecondsFragment[] = [];
  /** For a span whose depth has no plain tail: the time after the tail. */
  private readonly _micros = new SecondsFragment("");

  constructor(serviceName: string, resourceTags: Record<string, string>) {
    this._endpoint = `,"localEndpoint":{"serviceName":${JSON.stringify(serviceName)}}`;
    let resource = "";
    for (const [key, value] of Object.entries(resourceTags)) resource += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
    this._tailPlain = utf8(`"${resource}},"timestamp":`);
    this._tailTags = utf8(`${resource}},"timestamp":`);
    for (let depth = 0; depth < TAIL_DEPTHS; depth++) {
      const text = `","${A.ATTR_FUNCTRACE_DEPTH}":"${depth}`;
      this._plainTails.push(new SecondsFragment(`${text}"${resource}},"timestamp":`));
      this._plainTails.push(new SecondsFragment(`${text}","${A.ATTR_FUNCTRACE_ASYNC}":"true"${resource}},"timestamp":`));
    }
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
      out.ensure(240 + FRAGMENT_SLACK + site.block.length + this._tailPlain.length);
      const buf = out.buf;
      const view = out.view;
      let p = out.pos;
      if (i !== from) buf[p++] = COMMA;
      const id = batch.ids[i];
      const high = spanIdHigh(id);
      const link = batch.traceLink(i);
      if (link.generated) p = this._traceHead.put(buf, view, p, link.w0, link.w1, link.w2, link.w3, high);
      else p = this._traceHead.putId(buf, view, putAscii(buf, putFragment(buf, view, p, OPEN_FRAGMENT), link.traceId), high);
      p = putHex8(view, p, id | 0);
      const parent = batch.parents[i];
      if (parent > 0) p = putHex8(view, this._traceHead.putParent(buf, view, p, spanIdHigh(parent)), parent | 0);
      else if (parent < 0) p = putAscii(buf, putFragment(buf, view, p, PARENT_FRAGMENT), batch.foreignParents.get(i) ?? "0000000000000000");
      const flags = batch.flags[i];
      const plain = batch.entries.size === 0 && flags < 4;
      if (plain && (flags & 1) === 0) {
        out.pos = this._plainRest(buf, view, p, site, batch, i, flags === 2);
        continue;
      }
      out.pos = p;
      const failed = batch.failed(i);
      const extra = plain ? "" : extraTags(batch.request(i), batch.origin(i));
      this._rest(site, batch.starts[i], batch.ends[i], batch.flowIds[i], batch.depths[i], batch.async(i), failed, failed ? batch.errors.get(i) : undefined, extra, !plain && batch.request(i) !== null);
    }
    out.ensure(1);
    out.buf[out.pos++] = 93; // ]
    return out.take();
  }

  /**
   * From the name to the end of a span with nothing but its own tags (no failure, request or
   * link): the tags after the flow id, the resource's and the key of the timestamp in one fragment.
   * Row i's times are read here and passed on as small integers only (see SecondsFragment.putParts).
   */
  private _plainRest(buf: Buffer, view: DataView, p: number, site: Site, batch: SpanColumns, i: number, async: boolean): number {
    const start = batch.starts[i];
    const startUs = Math.round((ORIGIN + start) * 1000);
    const seconds = Math.floor(startUs / 1_000_000);
    const micros = startUs - seconds * 1_000_000;
    const durationUs = Math.max(1, Math.round((batch.ends[i] - start) * 1000));
    const depth = batch.depths[i];
    p = putFragment(buf, view, p, site.block);
    p = putUint(buf, view, p, batch.flowIds[i]);
    if (depth < TAIL_DEPTHS) p = this._plainTails[2 * depth + (async ? 1 : 0)].putParts(buf, view, p, seconds, micros);
    else p = this._micros.putParts(buf, view, this._deepTail(p, depth, async), seconds, micros);
    p = putFragment(buf, view, p, DURATION_FRAGMENT);
    p = putUint(buf, view, p, durationUs);
    buf[p] = CLOSE;
    return p + 1;
  }

  /** The tail of _plainRest for a depth without a kept fragment (room: 40 bytes and the resource's). */
  private _deepTail(p: number, depth: number, async: boolean): number {
    this._out.pos = p;
    this._out.bytes(DEPTH);
    this._out.uint(depth);
    if (async) this._out.bytes(ASYNC);
    this._out.bytes(this._tailPlain);
    return this._out.pos;
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
    out.bytes(site.block.bytes);
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
