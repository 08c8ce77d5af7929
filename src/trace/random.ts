import { builtin } from "./builtin.js";

/*
 * The tracer's randomness (trace ids, root sampling; ids must be unique, not secret). The seed
 * comes from V8's own Math.random (xorshift128+, seeded by the OS at start: what the
 * OpenTelemetry JS SDK's RandomIdGenerator uses), taken when this module loads: a program that
 * stubs or seeds Math.random later (jest.spyOn, seedrandom) keeps every value it arranged. One
 * that replaced it before functrace loaded seeds from node:crypto instead, which otherwise stays
 * unloaded (4.3 MB of RSS with the streams it pulls in).
 */
const nativeRandom = Math.random;
const NATIVE = nativeRandom.name === "random" && /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(nativeRandom));
const TWO_32 = 0x1_0000_0000;

/*
 * The words come from xorshift128 (Marsaglia), seeded once from that source: a few integer
 * operations a word where Math.random cost a builtin call (5 % of a root-flow export's samples).
 * Its state is 128 bits and every step a bijection, so a trace id (four consecutive words) never
 * repeats in a process (period 2^128 − 1); another process has another seed.
 */
// In a typed array, not module variables: a word past 2^31 stored in one is a new heap number.
const state = new Int32Array(4);

// seeded once, now (never all zero after it: the one state xorshift never leaves)
{
  const words = new Uint32Array(state.buffer);
  if (NATIVE) for (let i = 0; i < 4; i++) words[i] = nativeRandom() * TWO_32;
  else builtin("node:crypto").randomFillSync(words);
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[3] = 1;
}

function next(): number {
  const s = state;
  const x = s[0];
  const t = x ^ (x << 11);
  const w = s[3];
  s[0] = s[1];
  s[1] = s[2];
  s[2] = w;
  const out = w ^ (w >>> 19) ^ t ^ (t >>> 8);
  s[3] = out;
  return out >>> 0;
}

/** Fills `words` with random 32-bit words. */
export function fillRandom(words: Uint32Array): void {
  for (let i = 0; i < words.length; i++) words[i] = next();
}

/** A random number in [0, 1), never one the program's own Math.random handed out. */
export function randomFraction(): number {
  return next() / TWO_32;
}
