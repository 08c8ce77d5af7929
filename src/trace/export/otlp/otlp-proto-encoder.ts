import type { ExportedSpan } from "../exported-span.js";
import type { SpanColumns } from "../span-columns.js";
import * as A from "../../otel/attribute-names.js";
import { ProtoBuilder, ProtoBytes, varintSize, VARINT } from "./proto-bytes.js";
import {
  KIND_INTERNAL,
  KIND_SERVER,
  ORIGIN,
  OtlpRow,
  SPAN_FLAGS,
  STATUS_ERROR,
  errorMessage,
  exceptionAttributes,
  hexWord,
  otlpResourceAttributes,
} from "./otlp-rows.js";

const MAX_SITES = 10_000;
/** Span fields (opentelemetry/proto/trace/v1/trace.proto): tag bytes, field << 3 | wire type. */
const SPAN_TRACE_ID = 0x0a;
const SPAN_ID = 0x12;
const SPAN_PARENT = 0x22;
const SPAN_NAME = 0x2a;
const SPAN_KIND = 0x30;
const SPAN_START = 0x39;
const SPAN_END = 0x41;
const SPAN_ATTRIBUTE = 0x4a;
const SPAN_EVENT = 0x5a;
const SPAN_LINK = 0x6a;
const SPAN_STATUS = 0x7a;
/** flags = 16, fixed32: the tag takes two bytes. */
const SPAN_FLAGS_FIELD = Uint8Array.of(0x85, 0x01, SPAN_FLAGS & 255, SPAN_FLAGS >>> 8, 0, 0);
/** ScopeSpans.spans = 2 and ExportTraceServiceRequest/ResourceSpans fields. */
const SCOPE_SPANS_SPAN = 0x12;
const REQUEST_RESOURCE_SPANS = 0x0a;
const RESOURCE_SPANS_SCOPE_SPANS = 0x12;
/** KeyValue { key = 1, value = 2 }, AnyValue { string_value = 1, bool_value = 2, int_value = 3 }. */
const KV_KEY = 0x0a;
const KV_VALUE = 0x12;
const ANY_STRING = 0x0a;
const ANY_INT = 0x18;
/** Event { time_unix_nano = 1 (fixed64), name = 2, attributes = 3 }; Link { trace_id, span_id, attributes = 4, flags = 6 }; Status { message = 2, code = 3 }. */
const EVENT_TIME = 0x09;
const EVENT_NAME = new ProtoBuilder().string(2, "exception").bytes();
const EVENT_ATTRIBUTE = 0x1a;
const LINK_TRACE_ID = 0x0a;
const LINK_SPAN_ID = 0x12;
const LINK_ATTRIBUTE = 0x22;
const LINK_FLAGS = Uint8Array.of(0x35, SPAN_FLAGS & 255, SPAN_FLAGS >>> 8, 0, 0);
const STATUS_MESSAGE = 0x12;
const STATUS_CODE = Uint8Array.of(0x18, STATUS_ERROR);

/** `key` as the first field of a KeyValue. */
const keyField = (key: string): Uint8Array => new ProtoBuilder().string(1, key).bytes();
const KEY_FLOW = keyField(A.ATTR_FUNCTRACE_FLOW);
const KEY_DEPTH = keyField(A.ATTR_FUNCTRACE_DEPTH);
const KEY_STATUS = keyField(A.ATTR_HTTP_RESPONSE_STATUS_CODE);
/** The whole `functrace.async = true` attribute field. */
const ASYNC_ATTRIBUTE = new ProtoBuilder()
  .message(
    9,
    new ProtoBuilder()
      .string(1, A.ATTR_FUNCTRACE_ASYNC)
      .message(2, new ProtoBuilder().tag(2, VARINT).varint(1).bytes())
      .bytes(),
  )
  .bytes();

/** Epoch microseconds as fixed64 nanoseconds, little-endian (exact: see ProtoBytes.nanosFromMicros). */
function putNanos(view: DataView, p: number, us: number): void {
  const high = Math.floor(us / 0x1_0000_0000);
  const lowNs = (us - high * 0x1_0000_0000) * 1000;
  const carry = Math.floor(lowNs / 0x1_0000_0000);
  view.setUint32(p, lowNs - carry * 0x1_0000_0000, true);
  view.setUint32(p + 4, high * 1000 + carry, true);
}

function putVarint(buf: Buffer, p: number, n: number): number {
  while (n >= 0x80) {
    buf[p++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buf[p++] = n;
  return p;
}

/**
 * `attributes` (Span field 9) KeyValue { key, value: AnyValue { int_value: <varint> } } up to the
 * varint, for each varint size 1..8: `[size]` is the header for a value taking `size` bytes.
 */
function intAttributeHeads(key: Uint8Array): Uint8Array[] {
  const heads: Uint8Array[] = [new Uint8Array(0)];
  for (let size = 1; size <= 8; size++)
    heads.push(Uint8Array.of(SPAN_ATTRIBUTE, key.length + 3 + size, ...key, KV_VALUE, 1 + size, ANY_INT));
  return heads;
}
const FLOW_HEADS = intAttributeHeads(KEY_FLOW);
const DEPTH_HEADS = intAttributeHeads(KEY_DEPTH);

/** A KeyValue with a string value, encoded. */
function stringKeyValue(key: string, value: string): Uint8Array {
  return new ProtoBuilder().string(1, key).message(2, new ProtoBuilder().string(1, value).bytes()).bytes();
}
function intKeyValue(key: string, value: number): Uint8Array {
  return new ProtoBuilder()
    .string(1, key)
    .message(2, new ProtoBuilder().tag(3, VARINT).varint(value).bytes())
    .bytes();
}

/** The bytes of one function site: the span flags, its name and kind, and the code.* attributes, encoded once. */
class Site {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly next: Site | null;
  readonly bytes: Uint8Array;

  constructor(name: string, file: string, line: number, next: Site | null) {
    this.name = name;
    this.file = file;
    this.line = line;
    this.next = next;
    const b = new ProtoBuilder().raw(SPAN_FLAGS_FIELD).string(5, name).tag(6, VARINT).varint(KIND_INTERNAL);
    b.message(9, stringKeyValue(A.ATTR_CODE_FUNCTION_NAME, name));
    if (file !== "") b.message(9, stringKeyValue(A.ATTR_CODE_FILE_PATH, file));
    if (line > 0) b.message(9, intKeyValue(A.ATTR_CODE_LINE_NUMBER, line));
    this.bytes = b.bytes();
  }
}

/**
 * OTLP/HTTP protobuf (an `ExportTraceServiceRequest`, opentelemetry-proto v1), written byte by
 * byte straight from the export sink's columns: no SDK, no protobuf runtime, no per-span
 * objects. Each function's name, kind and code.* attributes are encoded once; ids are written
 * from 32-bit words, times as fixed64 nanoseconds. Spans are written after room for the
 * request/resource/scope header, whose lengths are known only at the end. One ResourceSpans
 * (the resource of resource-tags.ts) with one ScopeSpans (scope functrace) per payload.
 */
export class OtlpProtoEncoder {
  private readonly _out = new ProtoBytes();
  private readonly _row = new OtlpRow();
  private readonly _sites = new Map<string, Site>();
  private _lastSite: Site | null = null;
  /** `resource` (field 1 of ResourceSpans), and `scope` (field 1 of ScopeSpans), encoded. */
  private readonly _resource: Uint8Array;
  private readonly _scope: Uint8Array;
  private readonly _headRoom: number;

  constructor(resourceTags: Record<string, string>) {
    const resource = new ProtoBuilder();
    for (const [key, value] of otlpResourceAttributes(resourceTags))
      resource.message(1, stringKeyValue(key, value));
    this._resource = new ProtoBuilder().message(1, resource.bytes()).bytes();
    this._scope = new ProtoBuilder()
      .message(1, new ProtoBuilder().string(1, A.SCOPE_NAME).string(2, A.SCOPE_VERSION).bytes())
      .bytes();
    this._headRoom = this._resource.length + this._scope.length + 12;
  }

  /** A payload this encoder made that was sent and is no longer read (its buffer is reused). */
  recycle(payload: Uint8Array): void {
    this._out.recycle(payload);
  }

  /** Rows [from, to) of a batch as one ExportTraceServiceRequest. */
  encodeColumns(batch: SpanColumns, from: number, to: number): Uint8Array {
    this._begin();
    const row = this._row;
    for (let i = from; i < to; i++) {
      row.fromColumns(batch, i);
      this._span(row);
    }
    return this._end();
  }

  /** ExportedSpan objects as one ExportTraceServiceRequest. */
  encodeSpans(spans: readonly ExportedSpan[]): Uint8Array {
    this._begin();
    const row = this._row;
    for (const span of spans) {
      row.fromSpan(span);
      this._span(row);
    }
    return this._end();
  }

  private _begin(): void {
    const out = this._out;
    out.ensure(this._headRoom);
    out.pos = this._headRoom;
  }

  /** Writes the header right before the spans and hands the payload over. */
  private _end(): Uint8Array {
    const out = this._out;
    const spans = out.pos - this._headRoom;
    const scopeSpans = this._scope.length + spans;
    const resourceSpans = this._resource.length + 1 + varintSize(scopeSpans) + scopeSpans;
    const head =
      1 + varintSize(resourceSpans) + this._resource.length + 1 + varintSize(scopeSpans) + this._scope.length;
    const end = out.pos;
    const start = this._headRoom - head;
    out.pos = start;
    out.buf[out.pos++] = REQUEST_RESOURCE_SPANS;
    out.varint(resourceSpans);
    out.bytes(this._resource);
    out.buf[out.pos++] = RESOURCE_SPANS_SCOPE_SPANS;
    out.varint(scopeSpans);
    out.bytes(this._scope);
    out.pos = end;
    return out.take(start);
  }

  private _span(row: OtlpRow): void {
    if (row.request === null && !row.failed && row.origin === null) this._plain(row);
    else this._general(row);
  }

  /**
   * The common span (a function call that returned, no request, no link) in one pass with the
   * position in a local: its length is known before it is written (no reserved length to fix).
   */
  private _plain(row: OtlpRow): void {
    const out = this._out;
    const site = this._site(row.name, row.file, row.line);
    const flowSize = varintSize(row.flowId);
    const depthSize = varintSize(row.depth);
    const flowHead = FLOW_HEADS[flowSize];
    const depthHead = DEPTH_HEADS[depthSize];
    const size =
      28 +
      (row.hasParent ? 10 : 0) +
      18 +
      site.bytes.length +
      flowHead.length +
      flowSize +
      depthHead.length +
      depthSize +
      (row.async ? ASYNC_ATTRIBUTE.length : 0);
    out.ensure(size + 4);
    const buf = out.buf;
    const view = out.view;
    let p = out.pos;
    buf[p++] = SCOPE_SPANS_SPAN;
    if (size < 0x80) buf[p++] = size;
    else if (size < 0x4000) {
      buf[p++] = (size & 0x7f) | 0x80;
      buf[p++] = size >>> 7;
    } else {
      out.pos = p;
      out.varint(size);
      p = out.pos;
    }
    buf[p] = SPAN_TRACE_ID;
    buf[p + 1] = 16;
    view.setUint32(p + 2, row.t0);
    view.setUint32(p + 6, row.t1);
    view.setUint32(p + 10, row.t2);
    view.setUint32(p + 14, row.t3);
    buf[p + 18] = SPAN_ID;
    buf[p + 19] = 8;
    view.setUint32(p + 20, row.idHigh);
    view.setUint32(p + 24, row.idLow);
    p += 28;
    if (row.hasParent) {
      buf[p] = SPAN_PARENT;
      buf[p + 1] = 8;
      view.setUint32(p + 2, row.parentHigh);
      view.setUint32(p + 6, row.parentLow);
      p += 10;
    }
    const startUs = Math.round((ORIGIN + row.start) * 1000);
    const endUs = startUs + Math.max(1, Math.round((row.end - row.start) * 1000));
    buf[p] = SPAN_START;
    putNanos(view, p + 1, startUs);
    buf[p + 9] = SPAN_END;
    putNanos(view, p + 10, endUs);
    p += 18;
    buf.set(site.bytes, p);
    p += site.bytes.length;
    buf.set(flowHead, p);
    p = putVarint(buf, p + flowHead.length, row.flowId);
    buf.set(depthHead, p);
    p = putVarint(buf, p + depthHead.length, row.depth);
    if (row.async) {
      buf.set(ASYNC_ATTRIBUTE, p);
      p += ASYNC_ATTRIBUTE.length;
    }
    out.pos = p;
  }

  /** Any span: requests, failures, links (lengths reserved and fixed afterwards). */
  private _general(row: OtlpRow): void {
    const out = this._out;
    const request = row.request;
    const site = request === null ? this._site(row.name, row.file, row.line) : null;
    out.ensure(160 + (site === null ? 0 : site.bytes.length));
    const at = out.open(SCOPE_SPANS_SPAN);
    const buf = out.buf;
    buf[out.pos++] = SPAN_TRACE_ID;
    buf[out.pos++] = 16;
    out.word(row.t0);
    out.word(row.t1);
    out.word(row.t2);
    out.word(row.t3);
    buf[out.pos++] = SPAN_ID;
    buf[out.pos++] = 8;
    out.word(row.idHigh);
    out.word(row.idLow);
    if (row.hasParent) {
      buf[out.pos++] = SPAN_PARENT;
      buf[out.pos++] = 8;
      out.word(row.parentHigh);
      out.word(row.parentLow);
    }
    if (site === null) out.bytes(SPAN_FLAGS_FIELD); // a site's bytes start with the flags
    const startUs = Math.round((ORIGIN + row.start) * 1000);
    const endUs = startUs + Math.max(1, Math.round((row.end - row.start) * 1000));
    buf[out.pos++] = SPAN_START;
    out.nanosFromMicros(startUs);
    buf[out.pos++] = SPAN_END;
    out.nanosFromMicros(endUs);
    if (site !== null) {
      out.bytes(site.bytes);
      this._intAttribute(SPAN_ATTRIBUTE, KEY_FLOW, row.flowId);
      this._intAttribute(SPAN_ATTRIBUTE, KEY_DEPTH, row.depth);
      if (row.async) out.bytes(ASYNC_ATTRIBUTE);
      if (row.failed) this._failure(row.error, endUs);
    } else {
      this._request(row, request!);
    }
    if (row.origin !== null && row.origin.traceId !== undefined)
      this._link(row.origin.traceId, row.origin.spanId, row.origin.flowId);
    out.close(at);
  }

  /** The server span of a request: kind SERVER, the HTTP attributes, ERROR without an event when it failed. */
  private _request(
    row: OtlpRow,
    request: { readonly method: string; readonly path: string; readonly status: number },
  ): void {
    const out = this._out;
    out.stringField(SPAN_NAME, row.name);
    out.ensure(64);
    out.buf[out.pos++] = SPAN_KIND;
    out.buf[out.pos++] = KIND_SERVER;
    this._stringAttribute(SPAN_ATTRIBUTE, A.ATTR_HTTP_REQUEST_METHOD, request.method);
    this._stringAttribute(SPAN_ATTRIBUTE, A.ATTR_URL_PATH, request.path);
    out.ensure(64);
    this._intAttribute(SPAN_ATTRIBUTE, KEY_FLOW, row.flowId);
    if (request.status > 0) this._intAttribute(SPAN_ATTRIBUTE, KEY_STATUS, request.status);
    if (row.failed) {
      out.buf[out.pos++] = SPAN_STATUS;
      out.buf[out.pos++] = 2;
      out.bytes(STATUS_CODE);
    }
  }

  /** Status ERROR with the message, and the "exception" event at the end of the span. */
  private _failure(error: unknown, endUs: number): void {
    const out = this._out;
    const message = errorMessage(error);
    out.ensure(8);
    let at = out.open(SPAN_STATUS);
    if (message !== "") out.stringField(STATUS_MESSAGE, message);
    out.ensure(8);
    out.bytes(STATUS_CODE);
    out.close(at);
    out.ensure(32);
    at = out.open(SPAN_EVENT);
    out.buf[out.pos++] = EVENT_TIME;
    out.nanosFromMicros(endUs);
    out.bytes(EVENT_NAME);
    for (const [key, value] of exceptionAttributes(error)) this._stringAttribute(EVENT_ATTRIBUTE, key, value);
    out.close(at);
  }

  /** A link to the call of another trace this flow continues (attribute functrace.flow: that call's flow). */
  private _link(traceId: string, spanId: string, flowId: number): void {
    const out = this._out;
    out.ensure(64);
    const at = out.open(SPAN_LINK);
    out.buf[out.pos++] = LINK_TRACE_ID;
    out.buf[out.pos++] = 16;
    for (let k = 0; k < 32; k += 8) out.word(hexWord(traceId, k));
    out.buf[out.pos++] = LINK_SPAN_ID;
    out.buf[out.pos++] = 8;
    out.word(hexWord(spanId, 0));
    out.word(hexWord(spanId, 8));
    this._intAttribute(LINK_ATTRIBUTE, KEY_FLOW, flowId);
    out.bytes(LINK_FLAGS);
    out.close(at);
  }

  /** A KeyValue field with an int value (room must be ensured: 40 bytes). */
  private _intAttribute(tag: number, key: Uint8Array, n: number): void {
    const out = this._out;
    const buf = out.buf;
    const value = 1 + varintSize(n);
    buf[out.pos++] = tag;
    buf[out.pos++] = key.length + 2 + value;
    out.bytes(key);
    buf[out.pos++] = KV_VALUE;
    buf[out.pos++] = value;
    buf[out.pos++] = ANY_INT;
    out.varint(n);
  }

  /** A KeyValue field with a string value (ensures room itself). */
  private _stringAttribute(tag: number, key: string, value: string): void {
    const out = this._out;
    out.ensure(4);
    const at = out.open(tag);
    out.stringField(KV_KEY, key);
    out.ensure(4);
    const inner = out.open(KV_VALUE);
    out.stringField(ANY_STRING, value);
    out.close(inner);
    out.close(at);
  }

  private _site(name: string, file: string, line: number): Site {
    // Rows of one site often follow each other (a loop of calls): check the last one first.
    const last = this._lastSite;
    if (last !== null && last.name === name && last.file === file && last.line === line) return last;
    const first = this._sites.get(name);
    let found: Site | null = null;
    for (let s: Site | null = first ?? null; s !== null; s = s.next) {
      if (s.file === file && s.line === line) {
        found = s;
        break;
      }
    }
    if (found === null) {
      found = new Site(name, file, line, first ?? null);
      if (first !== undefined || this._sites.size < MAX_SITES) this._sites.set(name, found);
    }
    this._lastSite = found;
    return found;
  }
}
