import { TraceInputError } from "./model.js";

/** The longest line a reader accepts: longer ones mean the input is not a recording. */
export const MAX_LINE = 1 << 20;

/** Calls `onLine` for every line (without `\n`), numbered from 1; a line longer than MAX_LINE is an error. */
export async function forEachLine(file: string, chunks: AsyncIterable<Buffer | string>, onLine: (line: string, no: number) => void): Promise<void> {
  let carry: Buffer | null = null;
  let no = 0;
  for await (const raw of chunks) {
    let chunk = typeof raw === "string" ? Buffer.from(raw) : raw;
    if (carry !== null) {
      chunk = Buffer.concat([carry, chunk]);
      carry = null;
    }
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(10, from);
      if (nl === -1) break;
      if (nl - from > MAX_LINE) throw new TraceInputError(file, no + 1, `line longer than ${MAX_LINE} bytes: not a functrace recording`);
      onLine(chunk.toString("utf8", from, nl), ++no);
      from = nl + 1;
    }
    if (from < chunk.length) {
      if (chunk.length - from > MAX_LINE) throw new TraceInputError(file, no + 1, `line longer than ${MAX_LINE} bytes: not a functrace recording`);
      carry = chunk.subarray(from);
    }
  }
  if (carry !== null && carry.length > 0) onLine(carry.toString("utf8"), ++no);
}

