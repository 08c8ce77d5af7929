/**
 * The functrace binary recording format (`.ftrec`), version 2 (readers also take version 1).
 *
 * A recording is one file per process: a fixed header, then records, each a whole multiple of 8
 * bytes, little-endian, written in the order the engine notified the sinks. The writer fills
 * buffers with whole records and hands each over when it is full, every second and on flush()
 * (SIGINT/SIGTERM/SIGHUP and exit flush the sinks); a thread of its own writes them, one at a
 * time, in order, at consecutive positions, so the file is always a prefix of the recording: a
 * file cut short by a crash or a signal holds everything up to its last written buffer. A
 * reader ignores a final record that is cut short (`Recording.truncated`), and a file without
 * the END record was not closed cleanly.
 *
 * Header (64 bytes):
 *
 * | offset | type | field |
 * |---|---|---|
 * | 0 | 8 bytes | magic `FTREC\0\r\n` |
 * | 8 | u16 | format version (1) |
 * | 10 | u16 | header size in bytes (64) |
 * | 12 | u32 | byte-order mark 0x01020304 (reads 0x04030201 on a big-endian writer: refused) |
 * | 16 | u32 | process id |
 * | 20 | u32 | high 32 bits of the process's span ids (span id = hex8(high) + hex8(seq), as the exporters print them) |
 * | 24 | f64 | performance.timeOrigin (ms since the epoch); every time below is performance.now() ms |
 * | 32 | u32 | writer flags: bit 0 = timestamps recorded (else every time is 0) |
 * | 36 | 28 bytes | reserved (0) |
 *
 * Every record starts with a u32 word: kind (bits 0–7) | flags (bits 8–15) | reserved. Words
 * are numbered w0, w1, … (u32 at byte 4·n); f64 fields at 8-byte aligned offsets. String ids
 * start at 1; 0 means none.
 *
 * | kind | size | fields |
 * |---|---|---|
 * | 1 ENTER | 40 | w1 flow, w2 depth, w3 site, f64@16 span, f64@24 parent span (0: none), f64@32 start |
 * | 2 EXIT | 24 | flags FAILED/ASYNC; w1 error text string (FAILED; 0: none), f64@8 span, f64@16 end. Its flow, depth and site are its ENTER's (after the HANDOFFs that moved it) |
 * | 13 CALL | 48 | a synchronous call that returned, written when it ended: w1 flow, w2 depth, w3 site, f64@16 span, f64@24 parent span, f64@32 start, f64@40 end |
 * | 3 STRING | 16 + n, padded to 8 | w1 id, w2 UTF-8 byte length n, bytes from offset 16 |
 * | 4 SITE | 24 | w1 site id, w2 name string, w3 file string, w4 line |
 * | 5 FLOW | 48 | flags SAMPLED; w1 flow, w2 parent flow (0: root), w3 from flow, f64@16 from span, w6 from name string, w7 trace anchor flow, w8 linked-from anchor flow |
 * | 6 TRACE | 32 | w1 anchor flow, w2 trace id string (32 hex), w3 foreign parent span string, w4 request method string, w5 request path string |
 * | 7 HANDOFF | 24 | w1 from flow, w2 depth shift, w3 count of MOVED records that follow, f64@16 time |
 * | 8 MOVED | 24 | w1 new flow, w2 new depth, w3 site, f64@16 span |
 * | 9 SERVER | 48 | an incoming request's span (it has no ENTER): flags FAILED; w1 flow, w2 status, w3 name string, f64@16 span, f64@24 start, f64@32 end, w10 error text string |
 * | 10 SUSPEND, 11 RESUME | 32 | reserved for a later writer (w1 flow, w2 depth, f64@16 span, f64@24 time); v1 writers emit none: the engine tells sinks of no suspension |
 * | 12 END | 8 | the writer closed the file cleanly |
 *
 * STRING, SITE, FLOW and TRACE records come before the first record that uses their id. The
 * records between two flushes are whole: a buffer never ends inside a record.
 *
 * Version 2 writes a call's ENTER only once it must: at the call's first suspension, before any
 * EXIT, HANDOFF or SERVER record while it is open, and when a buffer is handed over while it is
 * open; a synchronous call that returns before any of these is one CALL record. Version 1 wrote
 * an ENTER at every call start and no CALL. So in version 2 the ENTER and CALL records between
 * two records of other kinds (STRING, SITE, FLOW and TRACE aside) are a run of calls that all
 * started after the first of those two: their starts are in span id order (ids are given in
 * call order), and each CALL's end comes after the starts of the lower ids of the run. A reader
 * puts the run's starts back in that order (reader.ts).
 */
export const MAGIC = Buffer.from("FTREC\0\r\n", "latin1");
export const VERSION = 2;
/** The oldest version readers take (every ENTER written at the call's start, no CALL). */
export const FIRST_VERSION = 1;
export const HEADER_SIZE = 64;
export const BYTE_ORDER = 0x01020304;
export const WRITER_CLOCK = 1;

export const ENTER = 1;
export const EXIT = 2;
export const STRING = 3;
export const SITE = 4;
export const FLOW = 5;
export const TRACE = 6;
export const HANDOFF = 7;
export const MOVED = 8;
export const SERVER = 9;
export const SUSPEND = 10;
export const RESUME = 11;
export const END = 12;
export const CALL = 13;

/** Record flags (bits 8–15 of w0). */
export const F_FAILED = 1;
export const F_ASYNC = 2;
export const F_SAMPLED = 1;

/** Size in bytes of each fixed-size kind (STRING is 16 + its bytes, padded to 8). */
export const SIZES: Readonly<Record<number, number>> = {
  [ENTER]: 40,
  [EXIT]: 24,
  [SITE]: 24,
  [FLOW]: 48,
  [TRACE]: 32,
  [HANDOFF]: 24,
  [MOVED]: 24,
  [SERVER]: 48,
  [SUSPEND]: 32,
  [RESUME]: 32,
  [END]: 8,
  [CALL]: 48,
};

/** The default file: FUNCTRACE_RECORD_FILE (`%p`: the pid), else functrace-<pid>.ftrec. */
export const DEFAULT_FILE = "functrace-%p.ftrec";
