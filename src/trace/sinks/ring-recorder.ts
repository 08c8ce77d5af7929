import type { Frame } from "../frame.js";
import type { Sink } from "../sink.js";

/** One finished call as the ring recorder keeps it (plain data, no reference to the Frame). */
export interface RecordedCall {
  id: number;
  parentId: number;
  flowId: number;
  depth: number;
  name: string;
  start: number;
  end: number;
  failed: boolean;
}

/** The numbers of one call, in this order, in one row of the ring (see RingRecorder). */
const ID = 0;
const PARENT = 1;
const FLOW = 2;
const DEPTH = 3;
const START = 4;
const END = 5;
const FAILED = 6;
const ROW = 7;

/**
 * Keeps the last `capacity` finished calls in a ring of fixed rows, overwriting the oldest: the
 * cheapest way to record with timestamps. It copies a few numbers per call and keeps no Frame
 * alive, so records die young and the garbage collector never promotes them (holding the Frame
 * objects themselves costs ~2.5x more per call in GC alone). A call's numbers share one row of
 * one Float64Array (one array to load and check per call, not one per column: 0-4 % of a traced
 * call, measured); its name goes to a parallel array.
 */
export class RingRecorder implements Sink {
  readonly needsClock = true;
  /** Copies what it needs: see Sink.releasesFrames. */
  readonly releasesFrames = true;
  private readonly _capacity: number;
  private readonly _rows: Float64Array;
  private readonly _names: string[];
  private _next = 0;
  private _total = 0;

  constructor(capacity = 65_536) {
    this._capacity = capacity;
    this._rows = new Float64Array(capacity * ROW);
    this._names = new Array<string>(capacity).fill("");
  }

  onExit(frame: Frame): void {
    const i = this._next;
    const rows = this._rows;
    const o = i * ROW;
    rows[o + ID] = frame.id;
    rows[o + PARENT] = frame.parent === null ? 0 : frame.parent.id;
    rows[o + FLOW] = frame.flow.id;
    rows[o + DEPTH] = frame.depth;
    rows[o + START] = frame.start;
    rows[o + END] = frame.end;
    rows[o + FAILED] = frame.failed ? 1 : 0;
    this._names[i] = frame.name;
    this._next = i + 1 === this._capacity ? 0 : i + 1;
    this._total++;
  }

  /** Calls recorded since creation, including those already overwritten. */
  get total(): number {
    return this._total;
  }

  /** The retained calls, oldest first. */
  snapshot(): RecordedCall[] {
    const count = Math.min(this._total, this._capacity);
    const first = this._total > this._capacity ? this._next : 0;
    const rows = this._rows;
    const out: RecordedCall[] = [];
    for (let k = 0; k < count; k++) {
      const i = (first + k) % this._capacity;
      const o = i * ROW;
      out.push({
        id: rows[o + ID],
        parentId: rows[o + PARENT],
        flowId: rows[o + FLOW],
        depth: rows[o + DEPTH],
        name: this._names[i],
        start: rows[o + START],
        end: rows[o + END],
        failed: rows[o + FAILED] === 1,
      });
    }
    return out;
  }
}
