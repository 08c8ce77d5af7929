import { JsonTraceHead } from "../../../src/trace/export/json-trace-head";

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, "0");

/** What the head must read, built the plain way. */
const expected = (t: number[], high: number): string => `{"traceId":"${t.map(hex8).join("")}","id":"${hex8(high)}`;

// The head of a trace seen twice in a row is kept as one fragment rewritten in place: every
// head written must still be its own trace's, whatever came before it.
describe("JsonTraceHead", () => {
  const A = [0x0123abcd, 0xffffffff, 0, 0x80000001];
  const B = [0xdeadbeef, 1, 0x7fffffff, 0x10];
  const C = [5, 6, 7, 8];

  function write(sequence: [number[], number][]): string[] {
    const head = new JsonTraceHead('{"traceId":"', '","id":"', '","parentId":"');
    const buf = Buffer.alloc(256);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    return sequence.map(([t, high]) => {
      buf.fill(0x7e); // leftovers of the last head would show
      const end = head.put(buf, view, 0, t[0], t[1], t[2], t[3], high);
      return buf.toString("latin1", 0, end);
    });
  }

  it("writes each trace's own head as traces alternate, repeat and come back", () => {
    const sequence: [number[], number][] = [A, A, A, B, B, A, A, C, B, B, B, C, C].map((t) => [t, 0x1234abcd]);
    expect(write(sequence)).toEqual(sequence.map(([t, high]) => expected(t, high)));
  });

  it("follows a change of the span id's high word while a trace is kept", () => {
    const sequence: [number[], number][] = [
      [A, 1],
      [A, 1],
      [A, 2],
      [A, 2],
      [B, 2],
      [B, 3],
      [B, 3],
    ];
    expect(write(sequence)).toEqual(sequence.map(([t, high]) => expected(t, high)));
  });

  // The encoders pass words as int32 (span-ids.ts, spanIdHigh): a word with its top bit set is
  // negative, and -1 (0xffffffff) is a word like any other, never "nothing kept yet".
  it("writes int32 words as the same hex as their unsigned values, -1 included", () => {
    const ONES = [-1, -1, -1, -1];
    const D = [0x0123abcd | 0, 0xdeadbeef | 0, 0x80000000 | 0, -2];
    const sequence: [number[], number][] = [
      [ONES, -1],
      [ONES, -1],
      [D, 0x9abcdef0 | 0],
      [D, 0x9abcdef0 | 0],
      [ONES, -1],
    ];
    const out = write(sequence);
    expect(out[0]).toBe(`{"traceId":"${"f".repeat(32)}","id":"ffffffff`);
    expect(out).toEqual(sequence.map(([t, high]) => expected(t, high)));
    expect(out[2]).toBe('{"traceId":"0123abcddeadbeef80000000fffffffe","id":"9abcdef0');
  });
});
