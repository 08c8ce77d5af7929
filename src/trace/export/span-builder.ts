import type { Frame } from "../frame.js";
import { ownLink, spanIdOf, traceIdOf } from "./span-ids.js";
import { toExportedSpan, type ExportedSpan } from "./exported-span.js";

/*
 * Turns closed frames into spans at export time. A frame is exported when it is visible and
 * lasted at least minDurationMs (or when its span context was handed to OpenTelemetry, which
 * may have parented other spans on it). A span's parent is its nearest exported ancestor; when
 * that cannot be known yet (an ancestor is still running and younger than minDurationMs),
 * the frame waits: at most minDurationMs later the question has an answer.
 */

const YES = 1;
const NO = 0;
const UNKNOWN = -1;

/** Whether a frame's span is (or will be) exported, as far as can be told at `now`. */
function willExport(frame: Frame, minMs: number, now: number, final: boolean): number {
  if (!frame.visible) return NO;
  if (minMs <= 0 || frame.ext !== undefined) return YES;
  if (frame.closed) return frame.end - frame.start >= minMs ? YES : NO;
  return final || now - frame.start >= minMs ? YES : UNKNOWN;
}

/** True when a span context of this frame was handed out (it must be exported). */
export function isPinned(frame: Frame): boolean {
  return frame.ext !== undefined;
}

/** Parent span id of `frame`: a string, null for a root, or undefined when not known yet. */
export function resolveParent(frame: Frame, minMs: number, now: number, final = false): string | null | undefined {
  let child = frame;
  for (;;) {
    const parent = child.parent;
    if (parent === null || parent.flow !== child.flow) {
      const foreign = ownLink(child.flow)?.parentSpanId;
      if (foreign !== undefined) return foreign;
      if (parent === null) return null;
    }
    const decision = willExport(parent, minMs, now, final);
    if (decision === YES) return spanIdOf(parent);
    if (decision === UNKNOWN) return undefined;
    child = parent;
  }
}

/** The outcome of building one batch. */
export interface BuildResult {
  spans: ExportedSpan[];
  /** Frames whose parent is not decided yet; offer them again later. */
  waiting: Frame[];
  /** Frames dropped because they were shorter than minDurationMs. */
  skipped: number;
}

/**
 * Builds spans from closed frames. With `final` (shutdown), nothing waits: a still-running
 * ancestor counts as exported, so its children keep their parent id rather than becoming roots.
 */
export function buildSpans(frames: readonly Frame[], minMs: number, now: number, final = false): BuildResult {
  const result: BuildResult = { spans: [], waiting: [], skipped: 0 };
  for (const frame of frames) {
    if (willExport(frame, minMs, now, true) !== YES) {
      result.skipped++;
      continue;
    }
    const parent = resolveParent(frame, minMs, now, final);
    if (parent === undefined) {
      result.waiting.push(frame);
      continue;
    }
    result.spans.push(toExportedSpan(frame, traceIdOf(frame.flow), spanIdOf(frame), parent ?? undefined));
  }
  return result;
}
