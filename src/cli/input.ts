import { createReadStream, statSync } from "node:fs";
import { TraceInputError, type TraceModel } from "./model.js";
export { forEachLine, MAX_LINE } from "./lines.js";
import { readChromeLines } from "./read-chrome.js";
import { readTreeLines } from "./read-tree.js";

/**
 * A recording format: `detect` looks at the first bytes, `read` builds the model. Formats are
 * tried in order; add one (a binary recording) by adding an entry.
 */
export interface TraceFormat {
  readonly name: string;
  detect(head: Buffer): boolean;
  read(file: string, chunks: AsyncIterable<Buffer | string>): Promise<TraceModel>;
}

export const FORMATS: TraceFormat[] = [
  { name: "chrome", detect: (head) => /^\s*(\[\s*(\{|\]|$)|\{)/.test(head.toString("latin1")), read: readChromeLines },
  { name: "tree", detect: () => true, read: readTreeLines },
];

/** Reads a recording from a file, or from standard input when `file` is undefined or "-". */
export async function loadTrace(file: string | undefined, stdin: AsyncIterable<Buffer | string> = process.stdin): Promise<TraceModel> {
  const name = file === undefined || file === "-" ? "<stdin>" : file;
  let source: AsyncIterable<Buffer | string>;
  if (name === "<stdin>") {
    source = stdin;
  } else {
    let isFile = false;
    try {
      isFile = statSync(name).isFile();
    } catch {
      throw new TraceInputError(name, 0, "no such file");
    }
    if (!isFile) throw new TraceInputError(name, 0, "not a file");
    source = createReadStream(name, { highWaterMark: 1 << 20 });
  }
  // Peek at the first chunk to pick the format, then hand the reader the whole stream.
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done === true) throw new TraceInputError(name, 0, "empty input: not a functrace recording");
  const head = typeof first.value === "string" ? Buffer.from(first.value) : first.value;
  const rest: AsyncIterable<Buffer | string> = {
    async *[Symbol.asyncIterator]() {
      yield head;
      for (;;) {
        const r = await it.next();
        if (r.done === true) return;
        yield r.value;
      }
    },
  };
  const format = FORMATS.find((f) => f.detect(head.subarray(0, 256)))!;
  return format.read(name, rest);
}
