// Hand-written variants of the micro workloads (fib(25), the megamorphic site) for the floor and
// the peers. Each is compiled with new Function, so every variant has its own functions, call
// sites and type feedback, exactly like a separate copy of micro.cjs.
import { performance } from "node:perf_hooks";

/**
 * Builds { fibLoop, megaLoop } whose functions run `head` before and `tail` after their body,
 * e.g. head "const t = T.enter(1); try {", tail "} finally { T.exit(t); }". deps are in scope.
 */
export function wrapMicro(head, tail, deps = {}) {
  const names = Object.keys(deps);
  const mega = [0, 1, 2, 3, 4, 5, 6, 7]
    .map((k) => `function m${k}(i) { ${head} return i ${k % 3 === 2 ? "^" : "+"} ${k}; ${tail} }`)
    .join("\n");
  const src = `
    function fib(n) { ${head} return n < 2 ? n : fib(n - 1) + fib(n - 2); ${tail} }
    function fibLoop(n, k) { var a = 0; for (var i = 0; i < n; i++) a += fib(k); return a; }
    ${mega}
    var MEGA = [m0, m1, m2, m3, m4, m5, m6, m7];
    function megaLoop(n) { var a = 0; for (var i = 0; i < n; i++) a += MEGA[i & 7](i); return a; }
    return { fibLoop: fibLoop, megaLoop: megaLoop };`;
  return new Function(...names, src)(...names.map((n) => deps[n]));
}

/**
 * The floor of an enabled tracer with timestamps: depth push/pop, two performance.now() reads
 * and one ring-buffer record (function id, flow, depth, start, end) per call, nothing else.
 */
export function floorTracer() {
  const CAP = 1 << 16;
  const MASK = CAP - 1;
  const fnIds = new Uint32Array(CAP);
  const depths = new Uint16Array(CAP);
  const flows = new Uint32Array(CAP);
  const starts = new Float64Array(CAP);
  const ends = new Float64Array(CAP);
  const stackFn = new Uint32Array(4096);
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
