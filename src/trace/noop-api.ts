import { NOOP_FRAME, type Frame } from "./frame.js";

/**
 * The entry points that code instrumented by functrace-gen calls (docs/generated-code-contract.md).
 * A stable contract: instrumented code in users' repositories depends on these names across
 * versions. None of them throws or changes the value it is given.
 */
export interface GeneratedApi {
  /** The token a wrapper holds before `enter` returns (its `try` starts with the `enter` call). */
  readonly NOOP: Frame;
  enter(name: string, file: string, line: number): Frame;
  exit(token: Frame): void;
  fail(token: Frame, error: unknown): void;
  suspend<T>(token: Frame, value: T): T;
  resume<T>(token: Frame, value?: T): T;
  iter<T>(token: Frame, iterable: T): T;
}

// A module-local constant: an imported binding compiles (CommonJS) to a load from frame.js's
// exports object in every inlined `enter`; a local const folds to the frame itself.
const TOKEN: Frame = NOOP_FRAME;

/** The no-op twin: what `FUNCTRACE=off` and the `functrace-off` export condition resolve to. */
export const NOOP_API: GeneratedApi = Object.freeze({
  NOOP: TOKEN,
  enter: (_name: string, _file: string, _line: number): Frame => TOKEN,
  exit: (_token: Frame): void => {},
  fail: (_token: Frame, _error: unknown): void => {},
  suspend: <T>(_token: Frame, value: T): T => value,
  resume: <T>(_token: Frame, value?: T): T => value as T,
  iter: <T>(_token: Frame, iterable: T): T => iterable,
});
