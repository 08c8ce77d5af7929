import { builtin } from "./builtin.js";

/*
 * The tracer's randomness (trace ids, root sampling): V8's own Math.random (xorshift128+, seeded
 * by the OS at start: what the OpenTelemetry JS SDK's RandomIdGenerator uses; ids must be unique,
 * not secret), taken when this module loads. A program that stubs or seeds Math.random later
 * (jest.spyOn, seedrandom) keeps every value it arranged. One that replaced it before functrace
 * loaded gets node:crypto instead, which otherwise stays unloaded (4.3 MB of RSS with the streams
 * it pulls in).
 */
const nativeRandom = Math.random;
const NATIVE = nativeRandom.name === "random" && /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(nativeRandom));
const TWO_32 = 0x1_0000_0000;
const ONE_WORD = new Uint32Array(1);

/** Fills `words` with random 32-bit words. */
export function fillRandom(words: Uint32Array): void {
  if (!NATIVE) {
    builtin("node:crypto").randomFillSync(words);
    return;
  }
  for (let i = 0; i < words.length; i++) words[i] = nativeRandom() * TWO_32;
}

/** A random number in [0, 1), never one the program's own Math.random handed out. */
export function randomFraction(): number {
  if (NATIVE) return nativeRandom();
  fillRandom(ONE_WORD);
  return ONE_WORD[0] / TWO_32;
}
