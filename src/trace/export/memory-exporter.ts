import type { ExportedSpan, SpanExporter } from "./exported-span.js";

/**
 * Keeps exported spans in memory, for tests and users' own assertions. Bounded: past `limit`
 * spans the oldest are dropped and counted.
 */
export class MemorySpanExporter implements SpanExporter {
  readonly name = "memory";
  readonly spans: ExportedSpan[] = [];
  dropped = 0;
  private readonly _limit: number;

  constructor(options: { limit?: number } = {}) {
    this._limit = options.limit ?? 100_000;
  }

  export(spans: readonly ExportedSpan[]): void {
    for (const span of spans) this.spans.push(span);
    const excess = this.spans.length - this._limit;
    if (excess > 0) {
      this.spans.splice(0, excess);
      this.dropped += excess;
    }
  }

  /** Spans with this name, in export order. */
  byName(name: string): ExportedSpan[] {
    return this.spans.filter((s) => s.name === name);
  }

  /** Forgets everything exported so far. */
  reset(): void {
    this.spans.length = 0;
    this.dropped = 0;
  }
}
