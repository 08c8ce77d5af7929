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

/**
 * Keeps the last `capacity` finished calls in fixed columns of typed arrays, overwriting the
 * oldest: the cheapest way to record with timestamps. It copies a few numbers per call and
 * keeps no Frame alive, so records die young and the garbage collector never promotes them
 * (holding the Frame objects themselves costs ~2.5x more per call in GC alone).
 */
export class RingRecorder implements Sink {
  readonly needsClock = true;
  /** Copies what it needs: see Sink.releasesFrames. */
  readonly releasesFrames = true;
  private readonly _capacity: number;
  private readonly _ids: Float64Array;
  private readonly _parents: Float64Array;
  private readonly _flows: Uint32Array;
  private readonly _depths: Uint32Array;
  private readonly _starts: Float64Array;
  private readonly _ends: Float64Array;
  private readonly _failed: Uint8Array;
  private readonly _names: string[];
  private _next = 0;
  private _total = 0;

  constructor(capacity = 65_536) {
    this._capacity = capacity;
    this._ids = new Float64Array(capacity);
    this._parents = new Float64Array(capacity);
    this._flows = new Uint32Array(capacity);
    this._depths = new Uint32Array(capacity);
    this._starts = new Float64Array(capacity);
    this._ends = new Float64Array(capacity);
    this._failed = new Uint8Array(capacity);
    this._names = new Array<string>(capacity).fill("");
  }

  onExit(frame: Frame): void {
    const i = this._next;
    this._ids[i] = frame.id;
    this._parents[i] = frame.parent === null ? 0 : frame.parent.id;
    this._flows[i] = frame.flow.id;
    this._depths[i] = frame.depth;
    this._starts[i] = frame.start;
    this._ends[i] = frame.end;
    this._failed[i] = frame.failed ? 1 : 0;
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
    const out: RecordedCall[] = [];
    for (let k = 0; k < count; k++) {
      const i = (first + k) % this._capacity;
      out.push({
        id: this._ids[i],
        parentId: this._parents[i],
        flowId: this._flows[i],
        depth: this._depths[i],
        name: this._names[i],
        start: this._starts[i],
        end: this._ends[i],
        failed: this._failed[i] === 1,
      });
    }
    return out;
  }
}
