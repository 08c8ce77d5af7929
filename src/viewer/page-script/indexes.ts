/**
 * The indexes, each built on first use: per flow its spans by depth, per function name its spans,
 * per span its causal chain.
 *
 * One part of the page script's single closure, not a module: see `../page-script.ts`.
 */
export const INDEXES_PART = String.raw`
  // ---- lazily built indexes ----
  var flowIdx = new Map();
  /** Per flow: its depth range and, per depth, its spans in start order (for binary search). */
  function flowIndex(f) {
    var x = flowIdx.get(f);
    if (x) return x;
    var fl = FLOWS[f], lo = Infinity, hi = -Infinity;
    for (var k = fl.offset; k < fl.offset + fl.count; k++) { var d = C.depth[k]; if (d < lo) lo = d; if (d > hi) hi = d; }
    if (fl.count === 0) { lo = 0; hi = 0; }
    var counts = new Int32Array(hi - lo + 1);
    for (k = fl.offset; k < fl.offset + fl.count; k++) counts[C.depth[k] - lo]++;
    var rows = [];
    for (var r = 0; r < counts.length; r++) rows.push(new Int32Array(counts[r]));
    var fill = new Int32Array(counts.length);
    for (k = fl.offset; k < fl.offset + fl.count; k++) { var rr = C.depth[k] - lo; rows[rr][fill[rr]++] = k; }
    x = { lo: lo, rows: rows, height: HEAD + rows.length * ROW + GAP };
    flowIdx.set(f, x);
    return x;
  }
  var byName = null;
  /** Spans by function name: CSR arrays, built on the first search. */
  function nameIndex() {
    if (byName) return byName;
    var counts = new Int32Array(S.length + 1);
    for (var k = 0; k < N; k++) counts[C.name[k] + 1]++;
    for (var i = 0; i < S.length; i++) counts[i + 1] += counts[i];
    var spans = new Int32Array(N), fill = counts.slice(0, S.length);
    for (k = 0; k < N; k++) spans[fill[C.name[k]]++] = k;
    byName = { offsets: counts, spans: spans };
    return byName;
  }
  function callsOf(fn) {
    var ix = nameIndex();
    return ix.spans.subarray(ix.offsets[fn], ix.offsets[fn + 1]);
  }
  function isRequest(k) { return (C.flags[k] & 8) !== 0; }
  function failed(k) { return (C.flags[k] & 2) !== 0; }
  /** The causal chain of span k, root first, across flows. */
  function chainOf(k) {
    var out = [];
    for (var cur = k; cur !== -1 && out.length <= N; cur = C.parent[cur]) out.push(cur);
    return out.reverse();
  }
`;
