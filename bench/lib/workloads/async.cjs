// Async workload: many concurrent async chains (instrumented at bench time by functrace-gen).
"use strict";
async function leaf(x) {
  await null;
  return (x * 31 + 7) & 0xffff;
}
async function step(x) {
  const a = await leaf(x);
  const b = await leaf(a);
  return a ^ b;
}
async function chain(x, length) {
  let s = x;
  for (let k = 0; k < length; k++) s = await step(s + k);
  return s;
}
async function many(width, length) {
  const pending = [];
  for (let i = 0; i < width; i++) pending.push(chain(i, length));
  const results = await Promise.all(pending);
  let total = 0;
  for (const r of results) total += r;
  return total;
}
async function manyLoop(n, width, length) {
  let total = 0;
  for (let i = 0; i < n; i++) total += await many(width, length);
  return total;
}
/** Traced calls per many(width, length): many + width * (chain + length * (step + 2 leaf)). */
function callsPerOp(width, length) {
  return 1 + width * (1 + length * 3);
}
module.exports = { many, manyLoop, callsPerOp };
