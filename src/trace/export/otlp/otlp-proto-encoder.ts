import type { ExportedSpan } from "../exported-span.js";
import type { SpanColumns } from "../span-columns.js";
import * as A from "../../otel/attribute-names.js";
import { ProtoBuilder, ProtoBytes, varintSize } from "./proto-bytes.js";
import { ORIGIN, OtlpRow, otlpResourceAttributes } from "./otlp-rows.js";
import * as P from "./proto-fields.js";
import { ProtoSite, writeFailure, writeLink, writeRequest } from "./proto-span-fields.js";

const MAX_SITES = 10_000;

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
  private readonly _sites = new Map<string, ProtoSite>();
  private _lastSite: ProtoSite | null = null;
  /** `resource` (field 1 of ResourceSpans), and `scope` (field 1 of ScopeSpans), encoded. */
  private readonly _resource: Uint8Array;
  private readonly _scope: Uint8Array;
  private readonly _headRoom: number;

  constructor(resourceTags: Record<string, string>) {
    const resource = new ProtoBuilder();
    for (const [key, value] of otlpResourceAttributes(resourceTags))
      resource.message(1, P.stringKeyValue(key, value));
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
    out.buf[out.pos++] = P.REQUEST_RESOURCE_SPANS;
    out.varint(resourceSpans);
    out.bytes(this._resource);
    out.buf[out.pos++] = P.RESOURCE_SPANS_SCOPE_SPANS;
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
    const flowHead = P.FLOW_HEADS[flowSize];
    const depthHead = P.DEPTH_HEADS[depthSize];
    const size =
      28 +
      (row.hasParent ? 10 : 0) +
      18 +
      site.bytes.length +
      flowHead.length +
      flowSize +
      depthHead.length +
      depthSize +
      (row.async ? P.ASYNC_ATTRIBUTE.length : 0);
    out.ensure(size + 4);
    const buf = out.buf;
    const view = out.view;
    let p = out.pos;
    buf[p++] = P.SCOPE_SPANS_SPAN;
    if (size < 0x80) buf[p++] = size;
    else if (size < 0x4000) {
      buf[p++] = (size & 0x7f) | 0x80;
      buf[p++] = size >>> 7;
    } else {
      out.pos = p;
      out.varint(size);
      p = out.pos;
    }
    buf[p] = P.SPAN_TRACE_ID;
    buf[p + 1] = 16;
    view.setUint32(p + 2, row.t0);
    view.setUint32(p + 6, row.t1);
    view.setUint32(p + 10, row.t2);
    view.setUint32(p + 14, row.t3);
    buf[p + 18] = P.SPAN_ID;
    buf[p + 19] = 8;
    view.setUint32(p + 20, row.idHigh);
    view.setUint32(p + 24, row.idLow);
    p += 28;
    if (row.hasParent) {
      buf[p] = P.SPAN_PARENT;
      buf[p + 1] = 8;
      view.setUint32(p + 2, row.parentHigh);
      view.setUint32(p + 6, row.parentLow);
      p += 10;
    }
    const startUs = Math.round((ORIGIN + row.start) * 1000);
    const endUs = startUs + Math.max(1, Math.round((row.end - row.start) * 1000));
    buf[p] = P.SPAN_START;
    P.putNanos(view, p + 1, startUs);
    buf[p + 9] = P.SPAN_END;
    P.putNanos(view, p + 10, endUs);
    p += 18;
    buf.set(site.bytes, p);
    p += site.bytes.length;
    buf.set(flowHead, p);
    p = P.putVarint(buf, p + flowHead.length, row.flowId);
    buf.set(depthHead, p);
    p = P.putVarint(buf, p + depthHead.length, row.depth);
    if (row.async) {
      buf.set(P.ASYNC_ATTRIBUTE, p);
      p += P.ASYNC_ATTRIBUTE.length;
    }
    out.pos = p;
  }

  /** Any span: requests, failures, links (lengths reserved and fixed afterwards). */
  private _general(row: OtlpRow): void {
    const out = this._out;
    const request = row.request;
    const site = request === null ? this._site(row.name, row.file, row.line) : null;
    out.ensure(160 + (site === null ? 0 : site.bytes.length));
    const at = out.open(P.SCOPE_SPANS_SPAN);
    const buf = out.buf;
    buf[out.pos++] = P.SPAN_TRACE_ID;
    buf[out.pos++] = 16;
    out.word(row.t0);
    out.word(row.t1);
    out.word(row.t2);
    out.word(row.t3);
    buf[out.pos++] = P.SPAN_ID;
    buf[out.pos++] = 8;
    out.word(row.idHigh);
    out.word(row.idLow);
    if (row.hasParent) {
      buf[out.pos++] = P.SPAN_PARENT;
      buf[out.pos++] = 8;
      out.word(row.parentHigh);
      out.word(row.parentLow);
    }
    if (site === null) out.bytes(P.SPAN_FLAGS_FIELD); // a site's bytes start with the flags
    const startUs = Math.round((ORIGIN + row.start) * 1000);
    const endUs = startUs + Math.max(1, Math.round((row.end - row.start) * 1000));
    buf[out.pos++] = P.SPAN_START;
    out.nanosFromMicros(startUs);
    buf[out.pos++] = P.SPAN_END;
    out.nanosFromMicros(endUs);
    if (site !== null) {
      out.bytes(site.bytes);
      P.intAttribute(out, P.SPAN_ATTRIBUTE, P.KEY_FLOW, row.flowId);
      P.intAttribute(out, P.SPAN_ATTRIBUTE, P.KEY_DEPTH, row.depth);
      if (row.async) out.bytes(P.ASYNC_ATTRIBUTE);
      if (row.failed) writeFailure(out, row.error, endUs);
    } else {
      writeRequest(out, row, request!);
    }
    if (row.origin !== null && row.origin.traceId !== undefined)
      writeLink(out, row.origin.traceId, row.origin.spanId, row.origin.flowId);
    out.close(at);
  }

  private _site(name: string, file: string, line: number): ProtoSite {
    // Rows of one site often follow each other (a loop of calls): check the last one first.
    const last = this._lastSite;
    if (last !== null && last.name === name && last.file === file && last.line === line) return last;
    const first = this._sites.get(name);
    let found: ProtoSite | null = null;
    for (let s: ProtoSite | null = first ?? null; s !== null; s = s.next) {
      if (s.file === file && s.line === line) {
        found = s;
        break;
      }
    }
    if (found === null) {
      found = new ProtoSite(name, file, line, first ?? null);
      if (first !== undefined || this._sites.size < MAX_SITES) this._sites.set(name, found);
    }
    this._lastSite = found;
    return found;
  }
}
