import * as R from "./format.js";
import { builtin } from "../builtin.js";

const fs = builtin("node:fs"); // not an ESM import of node:fs: see builtin.ts

/** What a recording's header says. */
export interface RecordingHeader {
  readonly version: number;
  readonly pid: number;
  /** High 32 bits of the span ids (span id = hex8(spanHigh) + hex8(seq)). */
  readonly spanHigh: number;
  /** performance.timeOrigin of the recorded process (ms since the epoch). */
  readonly timeOrigin: number;
  /** True when start/end times were recorded. */
  readonly timestamps: boolean;
}

export interface RecordedSite {
  readonly name: string;
  readonly file: string;
  readonly line: number;
}

/** A flow (g[NN]) as described by its FLOW record. */
export interface RecordedFlow {
  readonly id: number;
  readonly parentId: number;
  readonly fromFlowId: number;
  readonly fromSpanId: number;
  readonly fromName: string;
  /** The flow that decides this flow's trace. */
  readonly traceFlowId: number;
  readonly linkedFromFlowId: number;
  readonly sampled: boolean;
}

/** The trace of an anchor flow that has an id of its own (an incoming request, a foreign parent). */
export interface RecordedTrace {
  readonly flowId: number;
  readonly traceId: string;
  readonly parentSpanId: string | undefined;
  readonly request: { readonly method: string; readonly path: string } | undefined;
}

export type RecordedEvent =
  | { readonly kind: "enter"; readonly flowId: number; readonly depth: number; readonly site: RecordedSite; readonly spanId: number; readonly parentSpanId: number; readonly time: number }
  | {
      readonly kind: "exit";
      readonly flowId: number;
      readonly depth: number;
      readonly site: RecordedSite;
      readonly spanId: number;
      readonly time: number;
      readonly failed: boolean;
      readonly async: boolean;
      /** The thrown value in one line (describeError), when failed. */
      readonly error: string | undefined;
    }
  | {
      readonly kind: "handoff";
      readonly fromFlowId: number;
      readonly depthShift: number;
      readonly time: number;
      readonly moved: readonly { readonly flowId: number; readonly depth: number; readonly site: RecordedSite; readonly spanId: number }[];
    }
  | {
      readonly kind: "server";
      readonly flowId: number;
      readonly status: number;
      readonly name: string;
      readonly spanId: number;
      readonly start: number;
      readonly end: number;
      readonly failed: boolean;
      readonly error: string | undefined;
    };

/** A decoded recording: events in the order the engine reported them. */
export interface Recording {
  readonly header: RecordingHeader;
  readonly flows: ReadonlyMap<number, RecordedFlow>;
  readonly traces: ReadonlyMap<number, RecordedTrace>;
  readonly events: readonly RecordedEvent[];
  /** True when the writer closed the file (END record): the run ended normally. */
  readonly complete: boolean;
  /** True when the file ends inside a record (a crash during a write): that record was ignored. */
  readonly truncated: boolean;
}

/** Thrown for a file that is not a functrace recording, or is damaged before its end. */
export class RecordingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecordingError";
  }
}

/** True when `head` starts like a recording (for format detection). */
export function isRecording(head: Uint8Array): boolean {
  return head.length >= R.MAGIC.length && Buffer.from(head.buffer, head.byteOffset, R.MAGIC.length).equals(R.MAGIC);
}

/** Reads and decodes a recording file. */
export function readRecordingFile(file: string): Recording {
  return decodeRecording(fs.readFileSync(file));
}

const UNKNOWN_SITE: RecordedSite = Object.freeze({ name: "<unknown>", file: "", line: 0 });

/** Decodes a recording; a final record cut short is ignored (`truncated`). */
export function decodeRecording(data: Uint8Array): Recording {
  if (!isRecording(data) || data.length < R.HEADER_SIZE) throw new RecordingError("not a functrace recording (bad magic or short header)");
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const version = b.readUInt16LE(8);
  if (version < R.FIRST_VERSION || version > R.VERSION) throw new RecordingError(`unsupported recording version ${version} (this reader knows ${R.FIRST_VERSION} to ${R.VERSION})`);
  if (b.readUInt32LE(12) !== R.BYTE_ORDER) throw new RecordingError("recording written on a big-endian machine: not supported");
  const headerSize = b.readUInt16LE(10);
  const header: RecordingHeader = {
    version,
    pid: b.readUInt32LE(16),
    spanHigh: b.readUInt32LE(20),
    timeOrigin: b.readDoubleLE(24),
    timestamps: (b.readUInt32LE(32) & R.WRITER_CLOCK) !== 0,
  };
  const strings: string[] = [""];
  const sites: RecordedSite[] = [UNKNOWN_SITE];
  const flows = new Map<number, RecordedFlow>();
  const traces = new Map<number, RecordedTrace>();
  const events: RecordedEvent[] = [];
  /** Calls entered and not exited yet: where an EXIT gets its flow, depth and site. */
  const open = new Map<number, { flowId: number; depth: number; site: RecordedSite }>();
  const run = new CallRun(events, version >= 2);
  const str = (id: number): string => strings[id] ?? "";
  const site = (id: number): RecordedSite => sites[id] ?? UNKNOWN_SITE;
  let p = headerSize;
  let complete = false;
  let truncated = false;
  const n = b.length;
  while (p < n) {
    if (p + 8 > n) {
      truncated = true;
      break;
    }
    const w0 = b.readUInt32LE(p);
    const kind = w0 & 0xff;
    const flags = (w0 >>> 8) & 0xff;
    let size: number;
    if (kind === R.STRING) {
      if (p + 16 > n) {
        truncated = true;
        break;
      }
      size = (16 + b.readUInt32LE(p + 8) + 7) & ~7;
    } else {
      const known = R.SIZES[kind];
      if (known === undefined) throw new RecordingError(`unknown record kind ${kind} at byte ${p}`);
      size = known;
    }
    if (p + size > n) {
      truncated = true;
      break;
    }
    const u = (k: number): number => b.readUInt32LE(p + 4 * k);
    const f = (offset: number): number => b.readDoubleLE(p + offset);
    switch (kind) {
      case R.STRING:
        strings[u(1)] = b.toString("utf8", p + 16, p + 16 + u(2));
        break;
      case R.SITE:
        sites[u(1)] = { name: str(u(2)), file: str(u(3)), line: u(4) };
        break;
      case R.FLOW:
        flows.set(u(1), {
          id: u(1),
          parentId: u(2),
          fromFlowId: u(3),
          fromSpanId: f(16),
          fromName: str(u(6)),
          traceFlowId: u(7),
          linkedFromFlowId: u(8),
          sampled: (flags & R.F_SAMPLED) !== 0,
        });
        break;
      case R.TRACE: {
        const method = u(4);
        traces.set(u(1), {
          flowId: u(1),
          traceId: str(u(2)),
          parentSpanId: u(3) === 0 ? undefined : str(u(3)),
          request: method === 0 ? undefined : { method: str(method), path: str(u(5)) },
        });
        break;
      }
      case R.ENTER:
        run.enter({ kind: "enter", flowId: u(1), depth: u(2), site: site(u(3)), spanId: f(16), parentSpanId: f(24), time: f(32) });
        open.set(f(16), { flowId: u(1), depth: u(2), site: site(u(3)) });
        break;
      case R.CALL: {
        const called = { flowId: u(1), depth: u(2), site: site(u(3)), spanId: f(16) };
        run.enter({ kind: "enter", ...called, parentSpanId: f(24), time: f(32) });
        run.exit({ kind: "exit", ...called, time: f(40), failed: false, async: false, error: undefined });
        break;
      }
      case R.EXIT: {
        run.end();
        const span = f(8);
        const entered = open.get(span);
        open.delete(span);
        events.push({
          kind: "exit",
          flowId: entered?.flowId ?? 0,
          depth: entered?.depth ?? 0,
          site: entered?.site ?? UNKNOWN_SITE,
          spanId: span,
          time: f(16),
          failed: (flags & R.F_FAILED) !== 0,
          async: (flags & R.F_ASYNC) !== 0,
          error: (flags & R.F_FAILED) !== 0 && u(1) !== 0 ? str(u(1)) : undefined,
        });
        break;
      }
      case R.HANDOFF: {
        run.end();
        const count = u(3);
        if (p + size + count * R.SIZES[R.MOVED] > n) {
          truncated = true;
          p = n;
          continue;
        }
        const event = { kind: "handoff" as const, fromFlowId: u(1), depthShift: u(2), time: f(16), moved: [] as { flowId: number; depth: number; site: RecordedSite; spanId: number }[] };
        let q = p + size;
        for (let i = 0; i < count; i++, q += R.SIZES[R.MOVED]) {
          if ((b.readUInt32LE(q) & 0xff) !== R.MOVED) throw new RecordingError(`HANDOFF at byte ${p}: record ${i} is not MOVED`);
          const moved = { flowId: b.readUInt32LE(q + 4), depth: b.readUInt32LE(q + 8), site: site(b.readUInt32LE(q + 12)), spanId: b.readDoubleLE(q + 16) };
          event.moved.push(moved);
          if (open.has(moved.spanId)) open.set(moved.spanId, { flowId: moved.flowId, depth: moved.depth, site: moved.site });
        }
        events.push(event);
        size = q - p;
        break;
      }
      case R.MOVED:
        throw new RecordingError(`MOVED record outside a HANDOFF at byte ${p}`);
      case R.SERVER:
        run.end();
        events.push({
          kind: "server",
          flowId: u(1),
          status: u(2),
          name: str(u(3)),
          spanId: f(16),
          start: f(24),
          end: f(32),
          failed: (flags & R.F_FAILED) !== 0,
          error: u(10) === 0 ? undefined : str(u(10)),
        });
        break;
      case R.END:
        complete = true;
        break;
      default:
        break; // SUSPEND/RESUME: not used by the renderers
    }
    p += size;
    if (complete) break;
  }
  run.end();
  return { header, flows, traces, events, complete, truncated };
}

type EnterEvent = Extract<RecordedEvent, { kind: "enter" }>;
type ExitEvent = Extract<RecordedEvent, { kind: "exit" }>;

/**
 * A run of ENTER and CALL records (format.ts, version 2): the calls' starts go back in span id
 * order, each before the first end that comes after it. In version 1 every ENTER was written
 * at its call's start, so they pass through in file order.
 */
class CallRun {
  private _enters: EnterEvent[] = [];
  private _exits: ExitEvent[] = [];
  private _sorted = true;

  constructor(
    private readonly _events: RecordedEvent[],
    private readonly _lazy: boolean,
  ) {}

  enter(e: EnterEvent): void {
    if (!this._lazy) {
      this._events.push(e);
      return;
    }
    const n = this._enters.length;
    if (n !== 0 && this._enters[n - 1].spanId > e.spanId) this._sorted = false;
    this._enters.push(e);
  }

  exit(e: ExitEvent): void {
    this._exits.push(e);
  }

  /** A record of another kind (or the end of the file): what the run holds goes out, in order. */
  end(): void {
    const enters = this._enters;
    const exits = this._exits;
    if (enters.length === 0 && exits.length === 0) return;
    if (!this._sorted) enters.sort((a, b) => a.spanId - b.spanId);
    let next = 0;
    for (const e of exits) {
      while (next < enters.length && enters[next].spanId <= e.spanId) this._events.push(enters[next++]);
      this._events.push(e);
    }
    while (next < enters.length) this._events.push(enters[next++]);
    this._enters = [];
    this._exits = [];
    this._sorted = true;
  }
}
