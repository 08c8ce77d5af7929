// Micro workloads (instrumented at bench time by functrace-gen; keep ES5 so njsTrace's parser takes it).
// The loops live here, not in the bench file, so each copy (original, instrumented, removed) has
// its own call sites and type feedback.
"use strict";
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
function fibLoop(n, k) { var a = 0; for (var i = 0; i < n; i++) a += fib(k); return a; }

// Eight distinct small functions called from one megamorphic call site: no inlining, a real call each.
function m0(i) { return i + 0; }
function m1(i) { return i + 1; }
function m2(i) { return i ^ 2; }
function m3(i) { return i + 3; }
function m4(i) { return i ^ 4; }
function m5(i) { return i + 5; }
function m6(i) { return i ^ 6; }
function m7(i) { return i + 7; }
var MEGA = [m0, m1, m2, m3, m4, m5, m6, m7];
function megaLoop(n) { var a = 0; for (var i = 0; i < n; i++) a += MEGA[i & 7](i); return a; }

module.exports = { fib: fib, fibLoop: fibLoop, megaLoop: megaLoop };
