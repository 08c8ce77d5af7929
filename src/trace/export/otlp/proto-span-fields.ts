import * as A from "../../otel/attribute-names.js";
import { ProtoBuilder, type ProtoBytes, VARINT } from "./proto-bytes.js";
import { KIND_INTERNAL, KIND_SERVER, type OtlpRow, errorMessage, exceptionAttributes, hexWord } from "./otlp-rows.js";
import * as P from "./proto-fields.js";

/** The bytes of one function site: the span flags, its name and kind, and the code.* attributes, encoded once. */
export class ProtoSite {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly next: ProtoSite | null;
  readonly bytes: Uint8Array;

  constructor(name: string, file: string, line: number, next: ProtoSite | null) {
    this.name = name;
    this.file = file;
    this.line = line;
    this.next = next;
    const b = new ProtoBuilder().raw(P.SPAN_FLAGS_FIELD).string(5, name).tag(6, VARINT).varint(KIND_INTERNAL);
    b.message(9, P.stringKeyValue(A.ATTR_CODE_FUNCTION_NAME, name));
    if (file !== "") b.message(9, P.stringKeyValue(A.ATTR_CODE_FILE_PATH, file));
    if (line > 0) b.message(9, P.intKeyValue(A.ATTR_CODE_LINE_NUMBER, line));
    this.bytes = b.bytes();
  }
}

/** The server span of a request: kind SERVER, the HTTP attributes, ERROR without an event when it failed. */
export function writeRequest(
  out: ProtoBytes,
  row: OtlpRow,
  request: { readonly method: string; readonly path: string; readonly status: number },
): void {
  out.stringField(P.SPAN_NAME, row.name);
  out.ensure(64);
  out.buf[out.pos++] = P.SPAN_KIND;
  out.buf[out.pos++] = KIND_SERVER;
  P.stringAttribute(out, P.SPAN_ATTRIBUTE, A.ATTR_HTTP_REQUEST_METHOD, request.method);
  P.stringAttribute(out, P.SPAN_ATTRIBUTE, A.ATTR_URL_PATH, request.path);
  out.ensure(64);
  P.intAttribute(out, P.SPAN_ATTRIBUTE, P.KEY_FLOW, row.flowId);
  if (request.status > 0) P.intAttribute(out, P.SPAN_ATTRIBUTE, P.KEY_STATUS, request.status);
  if (row.failed) {
    out.buf[out.pos++] = P.SPAN_STATUS;
    out.buf[out.pos++] = 2;
    out.bytes(P.STATUS_CODE);
  }
}

/** Status ERROR with the message, and the "exception" event at the end of the span. */
export function writeFailure(out: ProtoBytes, error: unknown, endUs: number): void {
  const message = errorMessage(error);
  out.ensure(8);
  let at = out.open(P.SPAN_STATUS);
  if (message !== "") out.stringField(P.STATUS_MESSAGE, message);
  out.ensure(8);
  out.bytes(P.STATUS_CODE);
  out.close(at);
  out.ensure(32);
  at = out.open(P.SPAN_EVENT);
  out.buf[out.pos++] = P.EVENT_TIME;
  out.nanosFromMicros(endUs);
  out.bytes(P.EVENT_NAME);
  for (const [key, value] of exceptionAttributes(error)) P.stringAttribute(out, P.EVENT_ATTRIBUTE, key, value);
  out.close(at);
}

/** A link to the call of another trace this flow continues (attribute functrace.flow: that call's flow). */
export function writeLink(out: ProtoBytes, traceId: string, spanId: string, flowId: number): void {
  out.ensure(64);
  const at = out.open(P.SPAN_LINK);
  out.buf[out.pos++] = P.LINK_TRACE_ID;
  out.buf[out.pos++] = 16;
  for (let k = 0; k < 32; k += 8) out.word(hexWord(traceId, k));
  out.buf[out.pos++] = P.LINK_SPAN_ID;
  out.buf[out.pos++] = 8;
  out.word(hexWord(spanId, 0));
  out.word(hexWord(spanId, 8));
  P.intAttribute(out, P.LINK_ATTRIBUTE, P.KEY_FLOW, flowId);
  out.bytes(P.LINK_FLAGS);
  out.close(at);
}
