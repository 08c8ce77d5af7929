import type { Frame } from "../frame.js";
import { ownLink } from "./span-ids.js";
import { FOREIGN_PARENT, ROOT_PARENT, type SpanColumns } from "./span-columns.js";

/*
 * Decides, for a closed frame, whether it becomes a span and which span is its parent. A frame
 * is exported when it is visible and lasted at least minDurationMs (or when its span context was
 * handed to OpenTelemetry, which may have parented other spans on it). A span's parent is its
 * nearest exported ancestor; when that cannot be known yet (an ancestor is still running and
 * younger than minDurationMs), the frame waits: at most minDurationMs later the question has an
 * answer. With minDurationMs 0 (the default) everything is decided when the call ends.
 */

const YES = 1;
const NO = 0;
const UNKNOWN = -1;
/** parentOf: not decidable yet. */
export const WAIT = -2;

/** Whether a frame's span is (or will be) exported, as far as can be told at `now`. */
function willExport(frame: Frame, minMs: number, now: number, final: boolean): number {
  if (!frame.visible) return NO;
  if (minMs <= 0 || frame.ext !== undefined) return YES;
  if (frame.closed) return frame.end - frame.start >= minMs ? YES : NO;
  return final || now - frame.start >= minMs ? YES : UNKNOWN;
}

/** True when a closed frame becomes a span. */
export function isExported(frame: Frame, minMs: number): boolean {
  return willExport(frame, minMs, 0, true) === YES;
}

/** The foreign parent span id found by the last parentOf that returned FOREIGN_PARENT. */
let foreignParent = "";

/**
 * The parent of `frame`'s span: the id of the nearest exported ancestor frame, ROOT_PARENT,
 * FOREIGN_PARENT (the flow's OpenTelemetry parent; tryAppend records its id), or WAIT. With
 * `final` (shutdown) nothing waits: a still-running ancestor counts as exported.
 */
export function parentOf(frame: Frame, minMs: number, now: number, final = false): number {
  let child = frame;
  for (;;) {
    const parent = child.parent;
    if (parent === null || parent.flow !== child.flow) {
      const foreign = ownLink(child.flow)?.parentSpanId;
      if (foreign !== undefined) {
        foreignParent = foreign;
        return FOREIGN_PARENT;
      }
      if (parent === null) return ROOT_PARENT;
    }
    const decision = willExport(parent, minMs, now, final);
    if (decision === YES) return parent.id;
    if (decision === UNKNOWN) return WAIT;
    child = parent;
  }
}

/** Appends `frame` to `columns` if its parent is decided; returns false when it must wait. */
export function tryAppend(columns: SpanColumns, frame: Frame, minMs: number, now: number, final = false): boolean {
  const parent = parentOf(frame, minMs, now, final);
  if (parent === WAIT) return false;
  columns.push(frame, parent, parent === FOREIGN_PARENT ? foreignParent : undefined);
  return true;
}
