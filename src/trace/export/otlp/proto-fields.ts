import * as A from "../../otel/attribute-names.js";
import { ProtoBuilder, ProtoBytes, varintSize, VARINT } from "./proto-bytes.js";
import { SPAN_FLAGS, STATUS_ERROR } from "./otlp-rows.js";

/** Span fields (opentelemetry/proto/trace/v1/trace.proto): tag bytes, field << 3 | wire type. */
export const SPAN_TRACE_ID = 0x0a;
export const SPAN_ID = 0x12;
export const SPAN_PARENT = 0x22;
export const SPAN_NAME = 0x2a;
export const SPAN_KIND = 0x30;
export const SPAN_START = 0x39;
export const SPAN_END = 0x41;
export const SPAN_ATTRIBUTE = 0x4a;
export const SPAN_EVENT = 0x5a;
export const SPAN_LINK = 0x6a;
export const SPAN_STATUS = 0x7a;
/** flags = 16, fixed32: the tag takes two bytes. */
export const SPAN_FLAGS_FIELD = Uint8Array.of(0x85, 0x01, SPAN_FLAGS & 255, SPAN_FLAGS >>> 8, 0, 0);
/** ScopeSpans.spans = 2 and ExportTraceServiceRequest/ResourceSpans fields. */
export const SCOPE_SPANS_SPAN = 0x12;
export const REQUEST_RESOURCE_SPANS = 0x0a;
export const RESOURCE_SPANS_SCOPE_SPANS = 0x12;
/** KeyValue { key = 1, value = 2 }, AnyValue { string_value = 1, bool_value = 2, int_value = 3 }. */
const KV_KEY = 0x0a;
const KV_VALUE = 0x12;
const ANY_STRING = 0x0a;
const ANY_INT = 0x18;
/** Event { time_unix_nano = 1 (fixed64), name = 2, attributes = 3 }; Link { trace_id, span_id, attributes = 4, flags = 6 }; Status { message = 2, code = 3 }. */
export const EVENT_TIME = 0x09;
export const EVENT_NAME = new ProtoBuilder().string(2, "exception").bytes();
export const EVENT_ATTRIBUTE = 0x1a;
export const LINK_TRACE_ID = 0x0a;
export const LINK_SPAN_ID = 0x12;
export const LINK_ATTRIBUTE = 0x22;
export const LINK_FLAGS = Uint8Array.of(0x35, SPAN_FLAGS & 255, SPAN_FLAGS >>> 8, 0, 0);
export const STATUS_MESSAGE = 0x12;
export const STATUS_CODE = Uint8Array.of(0x18, STATUS_ERROR);

/** `key` as the first field of a KeyValue. */
const keyField = (key: string): Uint8Array => new ProtoBuilder().string(1, key).bytes();
export const KEY_FLOW = keyField(A.ATTR_FUNCTRACE_FLOW);
export const KEY_DEPTH = keyField(A.ATTR_FUNCTRACE_DEPTH);
export const KEY_STATUS = keyField(A.ATTR_HTTP_RESPONSE_STATUS_CODE);
/** The whole `functrace.async = true` attribute field. */
export const ASYNC_ATTRIBUTE = new ProtoBuilder()
  .message(
    9,
    new ProtoBuilder()
      .string(1, A.ATTR_FUNCTRACE_ASYNC)
      .message(2, new ProtoBuilder().tag(2, VARINT).varint(1).bytes())
      .bytes(),
  )
  .bytes();

/** Epoch microseconds as fixed64 nanoseconds, little-endian (exact: see ProtoBytes.nanosFromMicros). */
export function putNanos(view: DataView, p: number, us: number): void {
  const high = Math.floor(us / 0x1_0000_0000);
  const lowNs = (us - high * 0x1_0000_0000) * 1000;
  const carry = Math.floor(lowNs / 0x1_0000_0000);
  view.setUint32(p, lowNs - carry * 0x1_0000_0000, true);
  view.setUint32(p + 4, high * 1000 + carry, true);
}

/** A varint at `p`; returns the position after it. */
export function putVarint(buf: Buffer, p: number, n: number): number {
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
export const FLOW_HEADS = intAttributeHeads(KEY_FLOW);
export const DEPTH_HEADS = intAttributeHeads(KEY_DEPTH);

/** A KeyValue with a string value, encoded. */
export function stringKeyValue(key: string, value: string): Uint8Array {
  return new ProtoBuilder().string(1, key).message(2, new ProtoBuilder().string(1, value).bytes()).bytes();
}

/** A KeyValue with an int value, encoded. */
export function intKeyValue(key: string, value: number): Uint8Array {
  return new ProtoBuilder()
    .string(1, key)
    .message(2, new ProtoBuilder().tag(3, VARINT).varint(value).bytes())
    .bytes();
}

/** A KeyValue field with an int value (room must be ensured: 40 bytes). */
export function intAttribute(out: ProtoBytes, tag: number, key: Uint8Array, n: number): void {
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
export function stringAttribute(out: ProtoBytes, tag: number, key: string, value: string): void {
  out.ensure(4);
  const at = out.open(tag);
  out.stringField(KV_KEY, key);
  out.ensure(4);
  const inner = out.open(KV_VALUE);
  out.stringField(ANY_STRING, value);
  out.close(inner);
  out.close(at);
}
