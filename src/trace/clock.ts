import { performance } from "node:perf_hooks";

/*
 * The engine's clock read (performance.now() milliseconds), taken inside the engine's try blocks:
 * a stack overflow in the read must not reach the program.
 *
 * V8 12.4 (Node 22) compiles performance.now() to a fast C call only where no try encloses it;
 * inlined into the engine's try, every read took the API-callback path and allocated a heap
 * number. Out of line, in a function V8 optimizes on its own and never inlines (its bytecode is
 * over --max-inlined-bytecode-size, 460 bytes), the read has no try around it and gets the fast
 * call. Node 22, the micro loops with a RingRecorder: 9-13 % less per traced call, what a second
 * JS call costs included. V8 13 (Node 24) makes the fast call inside a try too; there the extra
 * call costs 1-3 %, so the plain read is used.
 */

const v8Major = Number(process.versions.v8.split(".")[0]);

/** Holds the one branch the out-of-line read never takes (its body only makes the function big). */
const never = { taken: false, a: 0, b: 0, c: 0, d: 0 };

/** performance.now(), out of line (see above). */
export function readClockOutOfLine(): number {
  if (never.taken) {
    // Never runs: bytecode past V8's inlining limit (911 bytes in all); nothing here is called.
    never.a = never.b + never.c * never.d - never.a + never.b * never.c - never.d + never.a * never.b - never.c;
    never.b = never.c + never.d * never.a - never.b + never.c * never.d - never.a + never.b * never.c - never.d;
    never.c = never.d + never.a * never.b - never.c + never.d * never.a - never.b + never.c * never.d - never.a;
    never.d = never.a + never.b * never.c - never.d + never.a * never.b - never.c + never.d * never.a - never.b;
    never.a = never.b + never.c * never.d - never.a + never.b * never.c - never.d + never.a * never.b - never.c;
    never.b = never.c + never.d * never.a - never.b + never.c * never.d - never.a + never.b * never.c - never.d;
    never.c = never.d + never.a * never.b - never.c + never.d * never.a - never.b + never.c * never.d - never.a;
    never.d = never.a + never.b * never.c - never.d + never.a * never.b - never.c + never.d * never.a - never.b;
  }
  return performance.now();
}

/** True where the engine reads the clock out of line (V8 12 and older). */
export const clockOutOfLine = v8Major <= 12;
