import { Fragment, fragment, putFragment, putHex8 } from "./json-fields.js";

const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, "0");

/**
 * The start of a JSON span up to the low half of its id: `{"traceId":"<trace>","<id key>":"<high>`,
 * written from the trace id's four 32-bit words and the span id's high word. The calls of one
 * trace follow each other in a batch (nested calls): a trace seen twice in a row gets this head
 * kept as one fragment, written in one piece from then on; a root call has its own trace and
 * gets it written digit by digit, with nothing kept. The kept head is one fragment rewritten in
 * place, digits only: building it anew from a string (five hex strings, a Buffer, a Fragment)
 * for every trace held 20 % of a nested Zipkin export's samples. Also keeps
 * `","<parent key>":"<high>` for a parent whose high half is the span's (the high half changes
 * once per 2^32 spans).
 */
export class JsonTraceHead {
  private readonly _open: Fragment;
  private readonly _parentKey: Fragment;
  private readonly _id: string;
  private readonly _parent: string;
  /** NaN: none yet (every int32 and uint32 word is a possible value). */
  private _high = NaN;
  private _idHead: Fragment;
  private _parentHead: Fragment;
  /** The trace written last; the trace whose head is kept (NaN: none). A word passed once as int32 and once as uint32 is only a miss. */
  private _p0 = NaN;
  private _p1 = NaN;
  private _p2 = NaN;
  private _p3 = NaN;
  private _c0 = NaN;
  private _c1 = NaN;
  private _c2 = NaN;
  private _c3 = NaN;
  private _cached: Fragment;
  /** `<open><32 hex digits><id key><8 hex digits>`, rewritten in place; the offsets of its digits. */
  private readonly _head: Fragment;
  private readonly _headView: DataView;
  private readonly _traceAt: number;
  private readonly _highAt: number;

  /** `open` e.g. `{"traceId":"`, `id` e.g. `","spanId":"`, `parent` e.g. `","parentSpanId":"`. */
  constructor(open: string, id: string, parent: string) {
    this._open = fragment(open);
    this._head = fragment(`${open}${"0".repeat(32)}${id}${"0".repeat(8)}`);
    const bytes = this._head.bytes;
    this._headView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this._traceAt = Buffer.byteLength(open);
    this._highAt = this._traceAt + 32 + Buffer.byteLength(id);
    this._parentKey = fragment(parent);
    this._id = id;
    this._parent = parent;
    this._idHead = this._cached = fragment(id);
    this._parentHead = fragment(parent);
  }

  /** The head of a span of trace t0..t3 whose id's high word is `high` (room: 72 + FRAGMENT_SLACK bytes). */
  put(buf: Buffer, view: DataView, p: number, t0: number, t1: number, t2: number, t3: number, high: number): number {
    if (high !== this._high) this._newHigh(high);
    if (t0 === this._c0 && t1 === this._c1 && t2 === this._c2 && t3 === this._c3)
      return putFragment(buf, view, p, this._cached);
    if (t0 === this._p0 && t1 === this._p1 && t2 === this._p2 && t3 === this._p3) {
      this._c0 = t0;
      this._c1 = t1;
      this._c2 = t2;
      this._c3 = t3;
      const at = this._traceAt;
      const head = this._headView;
      putHex8(head, putHex8(head, putHex8(head, putHex8(head, at, t0), t1), t2), t3);
      this._head.refresh();
      this._cached = this._head;
      return putFragment(buf, view, p, this._cached);
    }
    this._p0 = t0;
    this._p1 = t1;
    this._p2 = t2;
    this._p3 = t3;
    p = putFragment(buf, view, p, this._open);
    p = putHex8(view, p, t0);
    p = putHex8(view, p, t1);
    p = putHex8(view, p, t2);
    p = putHex8(view, p, t3);
    return putFragment(buf, view, p, this._idHead);
  }

  /** `","<parent key>":"<high 8 hex digits>` of a parent span id (room: 32 + FRAGMENT_SLACK bytes). */
  putParent(buf: Buffer, view: DataView, p: number, high: number): number {
    if (high === this._high) return putFragment(buf, view, p, this._parentHead);
    p = putFragment(buf, view, p, this._parentKey);
    return putHex8(view, p, high);
  }

  /** `","<id key>":"<high>` for a trace id written as text by the caller (room: 24 + FRAGMENT_SLACK bytes). */
  putId(buf: Buffer, view: DataView, p: number, high: number): number {
    if (high !== this._high) this._newHigh(high);
    return putFragment(buf, view, p, this._idHead);
  }

  private _newHigh(high: number): void {
    this._high = high;
    this._idHead = fragment(this._id + hex(high));
    this._parentHead = fragment(this._parent + hex(high));
    putHex8(this._headView, this._highAt, high); // the kept head's words follow at its next refresh
    this._c0 = this._c1 = this._c2 = this._c3 = NaN;
  }
}
