/** A text change: insert `text` at `pos` (and/or delete `[pos, end)`) in the original text. */
export interface TextEdit {
  pos: number;
  /** Exclusive end of the deleted range; equal to `pos` for a pure insertion. */
  end: number;
  text: string;
  /** Order among edits at the same position: lower first. */
  rank: number;
}

/**
 * Apply non-overlapping edits in one pass (one string build per file, never one splice per edit).
 * Edits at the same position keep their `rank` order, then their order in the array.
 */
export function applyEdits(text: string, edits: TextEdit[]): string {
  if (edits.length === 0) return text;
  const order = edits.map((_, i) => i);
  order.sort((a, b) => edits[a].pos - edits[b].pos || edits[a].rank - edits[b].rank || a - b);
  const parts: string[] = [];
  let at = 0;
  for (const i of order) {
    const edit = edits[i];
    if (edit.pos < at) throw new Error(`overlapping edits at ${edit.pos}`);
    parts.push(text.slice(at, edit.pos), edit.text);
    at = edit.end;
  }
  parts.push(text.slice(at));
  return parts.join("");
}

/** Rank for something that opens at a position: outer (shallower) first. */
export function openRank(depth: number): number {
  return depth;
}

/** Rank for something that closes at a position: inner (deeper) first, and before any opening. */
export function closeRank(depth: number): number {
  return -1_000_000 - depth;
}
