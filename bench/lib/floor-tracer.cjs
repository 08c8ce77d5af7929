/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, so the scratch folder can install it as a package */
// The floor of an enabled tracer with timestamps, hand-written: depth push/pop, two
// performance.now() reads and one ring-buffer record (function, flow, depth, start, end) per
// call, nothing else. CommonJS, so the bench's scratch folder can also install it as a
// "functrace" package of its own (generatedFloorApi): the codemod's output then runs against the
// floor, and real code gets a floor measured on the same generated wrappers.
"use strict";
const { performance } = require("node:perf_hooks");

const CAP = 1 << 16;
const MASK = CAP - 1;

/**
 * { enter(fn) -> token, exit(token), check() }. column(n) makes the function-id columns: a
 * Uint32Array for the micro workloads' numeric ids, an Array for the names generated code passes.
 */
function floorTracer(column = (n) => new Uint32Array(n)) {
  const fnIds = column(CAP);
  const depths = new Uint16Array(CAP);
  const flows = new Uint32Array(CAP);
  const starts = new Float64Array(CAP);
  const ends = new Float64Array(CAP);
  const stackFn = column(4096);
  const stackT = new Float64Array(4096);
  let depth = 0;
  let pos = 0;
  return {
    enter(fnId) {
      stackFn[depth] = fnId;
      stackT[depth] = performance.now();
      return depth++;
    },
    exit(token) {
      depth = token;
      const p = pos;
      pos = (p + 1) & MASK;
      fnIds[p] = stackFn[token];
      depths[p] = token;
      flows[p] = 1;
      starts[p] = stackT[token];
      ends[p] = performance.now();
    },
    check: () => fnIds[3] + depths[3] + flows[3] + starts[3] + ends[3],
  };
}

/**
 * The floor behind the entry points instrumented code calls (docs/generated-code-contract.md):
 * `enter(name)` records the name itself (a pointer store, what a string table would save), the
 * token is the depth. suspend/resume/iter pass their value through (the real benches are synchronous).
 */
function generatedFloorApi() {
  const T = floorTracer((n) => new Array(n).fill(""));
  return {
    NOOP: 0,
    enter: (name, _file, _line) => T.enter(name),
    exit: (token) => T.exit(token),
    fail: (_token, _error) => {},
    suspend: (_token, value) => value,
    resume: (_token, value) => value,
    iter: (_token, iterable) => iterable,
    check: T.check,
  };
}

module.exports = { floorTracer, generatedFloorApi };
