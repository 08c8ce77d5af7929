/**
 * What every other part uses: the embedded metadata, the layout constants, the view state
 * (`st`), the test hooks (`window.__viewer`), and the DOM and formatting helpers.
 *
 * One part of the page script's single closure, not a module: see `../page-script.ts`.
 */
export const CORE_PART = String.raw`
  var meta = JSON.parse(document.getElementById("ft-meta").textContent);
  var S = meta.strings, N = meta.count, FLOWS = meta.flows, GROUPS = meta.groups, TICK = meta.tick;
  var C = null; // columns, once decoded
  var ROW = 16, HEAD = 20, GAP = 6;
  var st = { group: -1, flow: -1, span: -1, fn: -1, onlyThrew: false, t0: 0, t1: 1, y: 0 };
  var hooks = window.__viewer = { ready: false, errors: [], state: st };
  var $ = function (id) { return document.getElementById(id); };
  var canvas = $("flame"), ctx = canvas.getContext("2d");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fmtUs(us) {
    if (!isFinite(us)) return "-";
    var ms = us / 1000;
    if (ms >= 1000) return (ms / 1000).toFixed(2) + "s";
    if (ms >= 1) return ms.toFixed(3) + "ms";
    return us.toFixed(1) + "µs";
  }
  /** The duration of span k, in µs (NaN when the recording has none). */
  function durUs(k) {
    if (TICK === 1) return C.realdur[k] === 0 ? NaN : (C.realdur[k] - 1) / 1000;
    return C.dur[k] / TICK;
  }
  function fmtTicks(t) { return TICK === 1 ? "line " + Math.round(t + meta.t0) : fmtUs(t / TICK); }
  function flowOf(k) {
    var lo = 0, hi = FLOWS.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (FLOWS[mid].offset <= k) lo = mid; else hi = mid - 1; }
    while (lo > 0 && FLOWS[lo].count === 0) lo--;
    return lo;
  }
`;
