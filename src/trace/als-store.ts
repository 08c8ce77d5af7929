import { STORE_SET, type Frame } from "./frame.js";
import type { EngineState } from "./state.js";

/*
 * The AsyncLocalStorage side of a flow entry: a call entered from untraced context makes its
 * frame the store while its body runs (so callbacks it schedules find it) and gives back the
 * store it found when it suspends or ends. Cold path: once per flow entry and per resume of one.
 */

/** Makes `frame` the store, remembering `before` (unless it already is the store). */
export function claimStore(s: EngineState, frame: Frame, before: Frame | undefined): void {
  if (before === frame) return;
  frame.storeBefore = before;
  frame.flags |= STORE_SET;
  s.als.enterWith(frame);
}

/** Gives back the store `frame` replaced, if it replaced one. */
export function releaseStore(s: EngineState, frame: Frame): void {
  if ((frame.flags & STORE_SET) === 0) return;
  frame.flags &= ~STORE_SET;
  s.als.enterWith(frame.storeBefore as Frame);
  frame.storeBefore = undefined;
}
