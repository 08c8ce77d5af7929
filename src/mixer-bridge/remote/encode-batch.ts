/**
 * Rows of an export batch as Mixer Report requests, serialized to protobuf ahead of the call.
 * Delta encoding cannot express a deleted attribute, so rows are grouped by the set of
 * attributes they carry (the order of Reports within a batch means nothing to the rules):
 * each group is one delta-encoded request sharing one `default_words` dictionary, so a
 * batch of similar calls costs little more than the attributes that change from row to row.
 */
import type { Bag, Value } from "../../mixer/attribute/index.js";
import { encodeReport } from "../../mixer/attribute/wire-report.js";
import type { CompressedAttributes, ReportRequest } from "../../mixer/attribute/wire-types.js";
import { reportMethod } from "../../mixer/server/protos.js";
import type { SpanColumns } from "../../trace/export/span-columns.js";
import type { SpanBag } from "../span-bag.js";
import { SPAN_VOCABULARY } from "../vocabulary.js";

/** One row's attributes, copied out of the batch. */
class RowBag implements Bag {
  constructor(
    private readonly _names: string[],
    private readonly _values: Map<string, Value>,
  ) {}
  get(name: string): Value | undefined {
    return this._values.get(name);
  }
  has(name: string): boolean {
    return this._values.has(name);
  }
  names(): string[] {
    return this._names;
  }
}

/** Most rows in one request (a request stays far below the server's 4 MiB default). */
export const MAX_SETS_PER_REQUEST = 1024;

/** protobuf-ready copy: int64 values and Timestamp/Duration seconds as decimal strings. */
function protoReady(a: CompressedAttributes): CompressedAttributes {
  if (a.int64s) for (const k of Object.keys(a.int64s)) a.int64s[k as unknown as number] = String(a.int64s[k as unknown as number]);
  for (const m of [a.timestamps, a.durations]) if (m) for (const t of Object.values(m)) t.seconds = String(t.seconds);
  return a;
}

/** Serializes rows [from, to) as Report requests (one per attribute signature). */
export function encodeBatch(bag: SpanBag, batch: SpanColumns, from: number, to: number): Buffer[] {
  const groups = new Map<string, RowBag[]>();
  for (let i = from; i < to; i++) {
    bag.at(batch, i);
    const names: string[] = [];
    const values = new Map<string, Value>();
    for (const a of SPAN_VOCABULARY) {
      const v = a.get(bag);
      if (v === undefined) continue;
      names.push(a.name);
      values.set(a.name, v);
    }
    const key = names.join(",");
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = []));
    g.push(new RowBag(names, values));
  }
  const out: Buffer[] = [];
  const serialize = reportMethod().requestSerialize;
  for (const rows of groups.values()) {
    for (let i = 0; i < rows.length; i += MAX_SETS_PER_REQUEST) {
      const req: ReportRequest = encodeReport(rows.slice(i, i + MAX_SETS_PER_REQUEST));
      req.attributes.forEach(protoReady);
      out.push(serialize(req));
    }
  }
  return out;
}

/** Length-prefixed frames in one payload (what the export pipeline queues). */
export function frame(messages: readonly Buffer[]): Uint8Array {
  let size = 0;
  for (const m of messages) size += 4 + m.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const m of messages) {
    out.writeUInt32BE(m.length, at);
    m.copy(out, at + 4);
    at += 4 + m.length;
  }
  return out;
}

/** The messages of a payload made by {@link frame}. */
export function unframe(payload: Uint8Array): Buffer[] {
  const b = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const out: Buffer[] = [];
  for (let at = 0; at + 4 <= b.length; ) {
    const n = b.readUInt32BE(at);
    out.push(b.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  return out;
}
