import type { Frame } from "../frame.js";
import type { Sink } from "../sink.js";

/** One event as an in-memory sink saw it. */
export interface TraceEvent {
  kind: "enter" | "exit";
  frame: Frame;
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
    this._push({ kind: "enter", frame });
  }

  onExit(frame: Frame): void {
    this._push({ kind: "exit", frame });
    this.finished.push(frame);
    if (this.finished.length > this._limit) this.finished.shift();
  }

  /** Forgets everything recorded so far. */
  reset(): void {
    this.events.length = 0;
    this.finished.length = 0;
    this.dropped = 0;
  }

  /** Lines in the tree printer's format (without colour), handy in assertions. */
  lines(): string[] {
    return this.events.map(({ kind, frame }) => {
      const id = String(frame.flow.id).padStart(2, "0");
      return `g[${id}]:${"    ".repeat(frame.depth)}${kind === "enter" ? "->" : "<-"}${frame.name}`;
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
