import { REQUEST, type Flow, type Frame } from "../frame.js";
import type { Sink } from "../sink.js";

/**
 * One event as an in-memory sink saw it, with the flow id at that moment (a call that outlives
 * its caller moves to a new flow: it "leaves" the old one and "arrives" in the new one).
 */
export interface TraceEvent {
  kind: "enter" | "exit" | "leave" | "arrive";
  frame: Frame;
  flowId: number;
  /** The call's depth in that flow at that moment (a call that moves to a new flow starts at depth 1 there). */
  depth: number;
  /** For leave: the flow it moves to; for arrive: the flow it came from. */
  otherFlowId?: number;
}

/**
 * Keeps events and finished calls in memory, for tests and users' own assertions.
 * Bounded: past `limit` finished calls the oldest are dropped and counted.
 */
export class InMemorySink implements Sink {
  readonly needsClock: boolean;
  readonly events: TraceEvent[] = [];
  readonly finished: Frame[] = [];
  dropped = 0;
  private readonly _limit: number;

  constructor(options: { limit?: number; clock?: boolean } = {}) {
    this._limit = options.limit ?? 100_000;
    this.needsClock = options.clock ?? true;
  }

  onEnter(frame: Frame): void {
    if ((frame.flags & REQUEST) !== 0) return;
    this._push({ kind: "enter", frame, flowId: frame.flow.id, depth: frame.depth });
  }

  onExit(frame: Frame): void {
    if ((frame.flags & REQUEST) !== 0) return;
    this._push({ kind: "exit", frame, flowId: frame.flow.id, depth: frame.depth });
    this.finished.push(frame);
    if (this.finished.length > this._limit) this.finished.shift();
  }

  onHandoff(frames: readonly Frame[], from: Flow, depthShift = 0): void {
    for (let i = frames.length - 1; i >= 0; i--) {
      const f = frames[i];
      this._push({ kind: "leave", frame: f, flowId: from.id, depth: f.depth + depthShift, otherFlowId: f.flow.id });
    }
    for (const frame of frames) this._push({ kind: "arrive", frame, flowId: frame.flow.id, depth: frame.depth, otherFlowId: from.id });
  }

  /** Forgets everything recorded so far. */
  reset(): void {
    this.events.length = 0;
    this.finished.length = 0;
    this.dropped = 0;
  }

  /** Lines in the tree printer's format (without colour), handy in assertions. */
  lines(): string[] {
    return this.events.map(({ kind, frame, flowId, depth, otherFlowId }) => {
      const head = `g[${pad(flowId)}]:${"    ".repeat(depth)}`;
      if (kind === "enter") return `${head}->${frame.name}`;
      if (kind === "exit") return `${head}<-${frame.name}`;
      if (kind === "leave") return `${head}<-${frame.name} ~> g[${pad(otherFlowId!)}]`;
      return `${head}->${frame.name} <~ g[${pad(otherFlowId!)}]`;
    });
  }

  private _push(event: TraceEvent): void {
    this.events.push(event);
    if (this.events.length > this._limit * 2) {
      this.events.shift();
      this.dropped++;
    }
  }
}

function pad(id: number): string {
  return String(id).padStart(2, "0");
}
