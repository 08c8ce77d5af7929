// Hand-written variants of the micro workloads (fib(25), the megamorphic site) for the floor and
// the peers. Each is compiled with new Function, so every variant has its own functions, call
// sites and type feedback, exactly like a separate copy of micro.cjs.

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

export { floorTracer } from "./floor-tracer.cjs";
