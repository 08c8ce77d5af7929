import type { ExportedSpan } from "../exported-span.js";
import type { SpanColumns } from "../span-columns.js";
import * as A from "../../otel/attribute-names.js";
import { JsonBytes, utf8 } from "../zipkin/json-bytes.js";
import { FRAGMENT_SLACK, Fragment, SecondsFragment, fragment, putFragment, putHex8, putUint } from "../json-fields.js";
import { JsonTraceHead } from "../json-trace-head.js";
import {
  KIND_INTERNAL,
  KIND_SERVER,
  ORIGIN,
  OtlpRow,
  SPAN_FLAGS,
  STATUS_ERROR,
  errorMessage,
  exceptionAttributes,
  otlpResourceAttributes,
} from "./otlp-rows.js";

const MAX_SITES = 10_000;
const END_TIME = '000","endTimeUnixNano":"';
const DEPTH_TEXT = `"}},{"key":"${A.ATTR_FUNCTRACE_DEPTH}","value":{"intValue":"`;
const DEPTH = fragment(DEPTH_TEXT);
const ASYNC = `,{"key":"${A.ATTR_FUNCTRACE_ASYNC}","value":{"boolValue":true}}`;
/** The end of the attributes, with functrace.async or without. */
const ATTRIBUTES_END = fragment('"}}]');
const ATTRIBUTES_END_ASYNC = fragment(`"}}${ASYNC}]`);
/** Depths below this get the rest of a plain span (no status, events, links) after the flow id as one fragment. */
const TAIL_DEPTHS = 64;
/** `[2 * depth + async]`: the depth attribute, functrace.async or not, the end of the span. */
const PLAIN_TAILS = Array.from({ length: 2 * TAIL_DEPTHS }, (_, i) => fragment(`${DEPTH_TEXT}${i >>> 1}"}}${i & 1 ? ASYNC : ""}]}`));
const COMMA = 44;

const stringAttribute = (key: string, value: string): string =>
  `{"key":${JSON.stringify(key)},"value":{"stringValue":${JSON.stringify(value)}}}`;
const intAttribute = (key: string, value: number): string =>
  `{"key":${JSON.stringify(key)},"value":{"intValue":"${value}"}}`;

/** The bytes of one function site around the numbers: name, kind, code.* attributes, escaped once. */
class Site {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly next: Site | null;
  /** `","flags":257,"name":"f","kind":1,"startTimeUnixNano":"` and the start time's seconds. */
  readonly head: SecondsFragment;
  readonly headLength: number;
  /** `000","attributes":[<code.*>,{"key":"functrace.flow","value":{"intValue":"` */
  readonly attributes: Fragment;

  constructor(name: string, file: string, line: number, next: Site | null) {
    this.name = name;
    this.file = file;
    this.line = line;
    this.next = next;
    const head = `","flags":${SPAN_FLAGS},"name":${JSON.stringify(name)},"kind":${KIND_INTERNAL},"startTimeUnixNano":"`;
    this.head = new SecondsFragment(head);
    this.headLength = Buffer.byteLength(head);
    let attributes = stringAttribute(A.ATTR_CODE_FUNCTION_NAME, name);
    if (file !== "") attributes += `,${stringAttribute(A.ATTR_CODE_FILE_PATH, file)}`;
    if (line > 0) attributes += `,${intAttribute(A.ATTR_CODE_LINE_NUMBER, line)}`;
    this.attributes = fragment(
      `000","attributes":[${attributes},{"key":"${A.ATTR_FUNCTRACE_FLOW}","value":{"intValue":"`,
    );
  }
}

/**
 * OTLP/HTTP JSON (the protobuf JSON mapping of `ExportTraceServiceRequest` with OTLP's
 * exceptions: ids as lowercase hex, enums as integers, 64-bit integers as decimal strings),
 * written as UTF-8 bytes straight from the export sink's columns, like the native Zipkin
 * encoder: each function's name, kind and code.* attributes escaped once, ids and times written
 * digit by digit. The same content as the protobuf encoding.
 */
export class OtlpJsonEncoder {
  private readonly _out = new JsonBytes();
  private readonly _row = new OtlpRow();
  private readonly _sites = new Map<string, Site>();
  private _lastSite: Site | null = null;
  private readonly _traceHead = new JsonTraceHead('{"traceId":"', '","spanId":"', '","parentSpanId":"');
  private readonly _endTime = new SecondsFragment(END_TIME);
  private readonly _head: Uint8Array;
  private readonly _tail = utf8("]}]}]}");

  constructor(resourceTags: Record<string, string>) {
    const resource = otlpResourceAttributes(resourceTags)
      .map(([k, v]) => stringAttribute(k, v))
      .join(",");
    const scope = `{"name":${JSON.stringify(A.SCOPE_NAME)},"version":${JSON.stringify(A.SCOPE_VERSION)}}`;
    this._head = utf8(
      `{"resourceSpans":[{"resource":{"attributes":[${resource}]},"scopeSpans":[{"scope":${scope},"spans":[`,
    );
  }

  /** A payload this encoder made that was sent and is no longer read (its buffer is reused). */
  recycle(payload: Uint8Array): void {
    this._out.recycle(payload);
  }

  /** Rows [from, to) of a batch as one ExportTraceServiceRequest. */
  encodeColumns(batch: SpanColumns, from: number, to: number): Uint8Array {
    const out = this._out;
    out.ensure(this._head.length);
    out.bytes(this._head);
    const row = this._row;
    for (let i = from; i < to; i++) {
      row.fromColumns(batch, i);
      this._span(row, i !== from);
    }
    out.ensure(this._tail.length);
    out.bytes(this._tail);
    return out.take();
  }

  /** ExportedSpan objects as one ExportTraceServiceRequest. */
  encodeSpans(spans: readonly ExportedSpan[]): Uint8Array {
    const out = this._out;
    out.ensure(this._head.length);
    out.bytes(this._head);
    const row = this._row;
    for (let i = 0; i < spans.length; i++) {
      row.fromSpan(spans[i]);
      this._span(row, i !== 0);
    }
    out.ensure(this._tail.length);
    out.bytes(this._tail);
    return out.take();
  }

  private _span(row: OtlpRow, comma: boolean): void {
    const out = this._out;
    const request = row.request;
    const site = request === null ? this._site(row.name, row.file, row.line) : null;
    // At most 107 bytes of ids, 2 × 22 of times, 2 × 16 of integers and 150 of constant text besides the site.
    out.ensure(340 + FRAGMENT_SLACK + (site === null ? 0 : site.headLength + site.attributes.length));
    const buf = out.buf;
    const view = out.view;
    let p = out.pos;
    if (comma) buf[p++] = COMMA;
    p = this._traceHead.put(buf, view, p, row.t0, row.t1, row.t2, row.t3, row.idHigh);
    p = putHex8(view, p, row.idLow);
    if (row.hasParent) {
      p = this._traceHead.putParent(buf, view, p, row.parentHigh);
      p = putHex8(view, p, row.parentLow);
    }
    const startUs = Math.round((ORIGIN + row.start) * 1000);
    const endUs = startUs + Math.max(1, Math.round((row.end - row.start) * 1000));
    const origin = row.origin;
    const linked = origin !== null && origin.traceId !== undefined;
    if (site !== null) {
      // small integers only into the calls (SecondsFragment.putParts)
      const startSeconds = Math.floor(startUs / 1_000_000);
      const endSeconds = Math.floor(endUs / 1_000_000);
      p = site.head.putParts(buf, view, p, startSeconds, startUs - startSeconds * 1_000_000);
      p = this._endTime.putParts(buf, view, p, endSeconds, endUs - endSeconds * 1_000_000);
      p = putFragment(buf, view, p, site.attributes);
      p = putUint(buf, view, p, row.flowId);
      const depth = row.depth;
      if (!row.failed && !linked && depth < TAIL_DEPTHS) {
        out.pos = putFragment(buf, view, p, PLAIN_TAILS[2 * depth + (row.async ? 1 : 0)]);
        return;
      }
      p = putUint(buf, view, putFragment(buf, view, p, DEPTH), depth);
      out.pos = putFragment(buf, view, p, row.async ? ATTRIBUTES_END_ASYNC : ATTRIBUTES_END);
      if (row.failed) this._failure(row.error, endUs);
    } else {
      out.pos = p;
      this._request(row, request!, startUs, endUs);
    }
    if (linked) {
      out.utf8(
        `,"links":[{"traceId":${JSON.stringify(origin.traceId)},"spanId":${JSON.stringify(origin.spanId)},"attributes":[${intAttribute(A.ATTR_FUNCTRACE_FLOW, origin.flowId)}],"flags":${SPAN_FLAGS}}]`,
      );
    }
    out.ensure(1);
    out.buf[out.pos++] = 125; // }
  }

  /** The server span of a request: kind SERVER, the HTTP attributes, ERROR without an event when it failed. */
  private _request(
    row: OtlpRow,
    request: { readonly method: string; readonly path: string; readonly status: number },
    startUs: number,
    endUs: number,
  ): void {
    const out = this._out;
    let attributes = `${stringAttribute(A.ATTR_HTTP_REQUEST_METHOD, request.method)},${stringAttribute(A.ATTR_URL_PATH, request.path)},${intAttribute(A.ATTR_FUNCTRACE_FLOW, row.flowId)}`;
    if (request.status > 0)
      attributes += `,${intAttribute(A.ATTR_HTTP_RESPONSE_STATUS_CODE, request.status)}`;
    out.utf8(
      `","flags":${SPAN_FLAGS},"name":${JSON.stringify(row.name)},"kind":${KIND_SERVER},"startTimeUnixNano":"${startUs}000","endTimeUnixNano":"${endUs}000","attributes":[${attributes}]`,
    );
    if (row.failed) out.utf8(`,"status":{"code":${STATUS_ERROR}}`);
  }

  /** Status ERROR with the message, and the "exception" event at the end of the span. */
  private _failure(error: unknown, endUs: number): void {
    const message = errorMessage(error);
    const status =
      message === ""
        ? `{"code":${STATUS_ERROR}}`
        : `{"message":${JSON.stringify(message)},"code":${STATUS_ERROR}}`;
    const attributes = exceptionAttributes(error)
      .map(([k, v]) => stringAttribute(k, v))
      .join(",");
    this._out.utf8(
      `,"status":${status},"events":[{"timeUnixNano":"${endUs}000","name":"exception","attributes":[${attributes}]}]`,
    );
  }

  private _site(name: string, file: string, line: number): Site {
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
