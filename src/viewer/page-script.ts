/**
 * The viewer page's code, as a string embedded into the HTML (no copy step, no network). Plain
 * ES2020 for the browser: it must contain no backquote and no dollar-brace (it lives in a
 * String.raw template). `test/viewer` runs it in Chromium.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  "use strict";
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

  // ---- decoding: base64 -> gzip (the browser's DecompressionStream) -> varint columns ----
  async function decode() {
    var text = $("ft-data").textContent.trim();
    var bin = atob(text), n = bin.length, u8 = new Uint8Array(n);
    for (var i = 0; i < n; i++) u8[i] = bin.charCodeAt(i);
    var stream = new Blob([u8]).stream().pipeThrough(new DecompressionStream("gzip"));
    var buf = new Uint8Array(await new Response(stream).arrayBuffer());
    var pos = 0, cols = {};
    meta.columns.forEach(function (name) {
      var a = (name === "start" || name === "dur" || name === "realdur") ? new Float64Array(N) : new Int32Array(N);
      for (var k = 0; k < N; k++) {
        var v = 0, mul = 1, b;
        do { b = buf[pos++]; v += (b & 127) * mul; mul *= 128; } while (b >= 128);
        a[k] = v;
      }
      cols[name] = a;
    });
    FLOWS.forEach(function (f) {
      var acc = 0;
      for (var k = f.offset; k < f.offset + f.count; k++) { acc += cols.start[k]; cols.start[k] = acc; }
    });
    var p = cols.parent;
    for (var k = 0; k < N; k++) {
      var v = p[k];
      if (v === 0) { p[k] = -1; continue; }
      var z = v - 1, d = (z % 2 === 1) ? -(z + 1) / 2 : z / 2;
      p[k] = k - d;
    }
    for (var j = 0; j < N; j++) { cols.file[j] -= 1; cols.error[j] -= 1; }
    C = cols;
  }

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

  // ---- the list of requests/traces and flows (virtualized) ----
  var listRows = [];
  function buildRows() {
    listRows = [];
    GROUPS.forEach(function (g, gi) {
      listRows.push({ group: gi });
      if (gi === st.group) g.flows.forEach(function (f) { listRows.push({ group: gi, flow: f }); });
    });
    $("list-spacer").style.height = (listRows.length * 22) + "px";
    renderList();
  }
  function renderList() {
    var box = $("list"), top = box.scrollTop, h = box.clientHeight;
    var from = Math.max(0, Math.floor(top / 22) - 5), to = Math.min(listRows.length, Math.ceil((top + h) / 22) + 5);
    var holder = $("list-rows");
    holder.textContent = "";
    holder.style.top = (from * 22) + "px";
    for (var i = from; i < to; i++) {
      var r = listRows[i], row;
      if (r.flow === undefined) {
        var g = GROUPS[r.group];
        row = el("div", "row group" + (r.group === st.group ? " selected" : ""));
        row.appendChild(el("span", "label", g.label));
        row.appendChild(el("span", "meta", g.flows.length + " flow" + (g.flows.length === 1 ? "" : "s") + ", " + g.spans + " spans" + (g.traceId ? " · " + g.traceId.slice(0, 8) : "") + (g.failed ? " · " + g.failed + " threw" : "")));
        row.dataset.group = r.group;
      } else {
        var f = FLOWS[r.flow];
        row = el("div", "row flow" + (r.flow === st.flow ? " selected" : ""));
        row.appendChild(el("span", "label", f.label));
        var o = f.origin >= 0 ? " <~ " + FLOWS[flowOf(f.origin)].label + " " + S[C.name[f.origin]] : "";
        row.appendChild(el("span", "meta", f.count + " spans" + o));
        row.dataset.flow = r.flow;
      }
      holder.appendChild(row);
    }
  }
  $("list").addEventListener("scroll", renderList);
  $("list").addEventListener("click", function (e) {
    var row = e.target.closest(".row");
    if (!row) return;
    if (row.dataset.flow !== undefined) selectFlow(Number(row.dataset.flow));
    else selectGroup(Number(row.dataset.group), true);
  });

  // ---- the flame chart: one lane per flow of the selected group, arrows between lanes ----
  var lanes = [], laneTop = [], totalHeight = 0;
  function selectGroup(g, fit) {
    if (g === st.group && !fit) return;
    st.group = g;
    var grp = GROUPS[g];
    lanes = grp.flows.slice();
    laneTop = [];
    var y = 0;
    lanes.forEach(function (f) { laneTop.push(y); y += flowIndex(f).height; });
    totalHeight = y;
    if (fit) {
      var t0 = (grp.start - meta.t0) * TICK, t1 = (grp.end - meta.t0) * TICK;
      var pad = Math.max(1, (t1 - t0) * 0.02);
      st.t0 = t0 - pad; st.t1 = t1 + pad; st.y = 0;
    }
    buildRows();
    $("flame-title").textContent = grp.label + (grp.traceId ? "  ·  trace " + grp.traceId : "") + "  ·  " + grp.flows.length + " flows";
    draw();
  }
  function selectFlow(f) {
    var g = FLOWS[f].group;
    if (g !== st.group) selectGroup(g, true);
    st.flow = f;
    var i = lanes.indexOf(f);
    if (i >= 0) st.y = Math.max(0, laneTop[i] - 4);
    buildRows();
    draw();
  }
  function resize() {
    var r = canvas.parentElement.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.floor(r.width * dpr));
    canvas.height = Math.max(1, Math.floor(r.height * dpr));
    canvas.style.width = r.width + "px";
    canvas.style.height = r.height + "px";
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    draw();
  }
  var pending = false;
  function draw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; paint(); });
  }
  var LABEL_W = 0;
  function hue(name) { return (name * 47) % 360; }
  function xOf(t, w) { return (t - st.t0) / (st.t1 - st.t0) * w; }
  function firstLane(y) {
    var lo = 0, hi = lanes.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (laneTop[mid] <= y) lo = mid; else hi = mid - 1; }
    return lo;
  }
  /** First index in a start-sorted row whose span ends at or after t. */
  function firstEnding(row, t) {
    var lo = 0, hi = row.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; var k = row[mid]; if (C.start[k] + C.dur[k] < t) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function firstStarting(row, t, from) {
    var lo = from, hi = row.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (C.start[row[mid]] < t) lo = mid + 1; else hi = mid; }
    return lo;
  }
  var drawn = 0;
  function paint() {
    var w = canvas.width / (window.devicePixelRatio || 1), h = canvas.height / (window.devicePixelRatio || 1);
    ctx.clearRect(0, 0, w, h);
    drawn = 0;
    if (st.group < 0 || !C) return;
    var span = st.t1 - st.t0, px = span / w;
    ctx.font = "11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    var from = firstLane(st.y);
    for (var li = from; li < lanes.length && laneTop[li] - st.y < h; li++) {
      var f = lanes[li], fx = flowIndex(f), top = laneTop[li] - st.y;
      ctx.fillStyle = f === st.flow ? "#e8eefc" : (li % 2 ? "#f6f6f6" : "#fbfbfb");
      ctx.fillRect(0, top, w, fx.height - GAP);
      ctx.fillStyle = "#333";
      var fl = FLOWS[f];
      var o = fl.origin >= 0 ? "  <~ " + FLOWS[flowOf(fl.origin)].label + " " + S[C.name[fl.origin]] : "";
      ctx.fillText(fl.label + (fl.request ? "  [" + fl.request + "]" : "") + o, 4, top + HEAD / 2);
      for (var r = 0; r < fx.rows.length; r++) {
        var y = top + HEAD + r * ROW;
        if (y + ROW < 0 || y > h) continue;
        var row = fx.rows[r];
        var i = firstEnding(row, st.t0);
        while (i < row.length) {
          var k = row[i], s = C.start[k];
          if (s > st.t1) break;
          var x0 = xOf(s, w), x1 = xOf(s + C.dur[k], w), bw = x1 - x0;
          var dim = st.fn >= 0 && C.name[k] !== st.fn;
          ctx.globalAlpha = dim ? 0.25 : 1;
          ctx.fillStyle = failed(k) ? "#e5534b" : "hsl(" + hue(C.name[k]) + ",55%,68%)";
          if (bw < 1) {
            // Too narrow to see: one pixel stands for every span under it; jump past the pixel.
            ctx.fillRect(x0, y, 1, ROW - 1);
            drawn++;
            i = firstStarting(row, s + px, i + 1);
            continue;
          }
          ctx.fillRect(x0, y, bw, ROW - 1);
          drawn++;
          if (k === st.span) { ctx.globalAlpha = 1; ctx.strokeStyle = "#000"; ctx.lineWidth = 2; ctx.strokeRect(x0 + 1, y + 1, Math.max(1, bw - 2), ROW - 3); }
          if (bw > 30) {
            ctx.fillStyle = "#111";
            var label = S[C.name[k]], cx = Math.max(x0, 0) + 3, avail = Math.min(x1, w) - cx - 2;
            if (avail > 12) {
              ctx.save(); ctx.beginPath(); ctx.rect(cx, y, avail, ROW); ctx.clip();
              ctx.fillText(label, cx, y + ROW / 2); ctx.restore();
            }
          }
          i++;
        }
      }
      ctx.globalAlpha = 1;
    }
    // Arrows: from the span that spawned a flow to the flow's first span.
    ctx.strokeStyle = "rgba(40,70,160,0.75)";
    ctx.fillStyle = "rgba(40,70,160,0.75)";
    ctx.lineWidth = 1.2;
    var arrows = 0;
    for (li = from; li < lanes.length && laneTop[li] - st.y < h; li++) {
      var fl2 = FLOWS[lanes[li]];
      if (fl2.origin < 0 || fl2.count === 0) continue;
      var oi = lanes.indexOf(flowOf(fl2.origin));
      if (oi < 0) continue;
      var first = fl2.offset, ofx = flowIndex(lanes[oi]), o2 = fl2.origin;
      var ax = xOf(Math.max(C.start[o2], Math.min(C.start[first], C.start[o2] + C.dur[o2])), w);
      var ay = laneTop[oi] - st.y + HEAD + (C.depth[o2] - ofx.lo) * ROW + ROW / 2;
      var bx = xOf(C.start[first], w), by = laneTop[li] - st.y + HEAD + (C.depth[first] - flowIndex(lanes[li]).lo) * ROW + ROW / 2;
      ctx.beginPath(); ctx.moveTo(ax, ay);
      ctx.bezierCurveTo(ax + 20, ay, bx - 20, by, bx, by); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(bx, by); ctx.lineTo(bx - 6, by - 4); ctx.lineTo(bx - 6, by + 4); ctx.closePath(); ctx.fill();
      arrows++;
    }
    hooks.drawn = drawn;
    hooks.arrows = arrows;
    $("range").textContent = fmtTicks(st.t0) + " – " + fmtTicks(st.t1) + "  (" + (TICK === 1 ? Math.round(span) + " lines" : fmtUs(span / TICK)) + ")";
  }
  function hit(cx, cy) {
    var rect = canvas.getBoundingClientRect(), x = cx - rect.left, y = cy - rect.top + st.y;
    if (lanes.length === 0) return -1;
    var li = firstLane(y), fx = flowIndex(lanes[li]);
    var r = Math.floor((y - laneTop[li] - HEAD) / ROW);
    if (r < 0 || r >= fx.rows.length) return -1;
    var w = rect.width, t = st.t0 + x / w * (st.t1 - st.t0), tol = 2 * (st.t1 - st.t0) / w;
    var row = fx.rows[r], i = firstEnding(row, t - tol);
    var best = -1;
    for (; i < row.length && C.start[row[i]] <= t + tol; i++) { best = row[i]; if (C.start[best] <= t && C.start[best] + C.dur[best] >= t) break; }
    return best;
  }
  /** Where span k is drawn, in page coordinates (for tests and for "reveal"). */
  function spanBox(k) {
    var f = flowOf(k), li = lanes.indexOf(f);
    if (li < 0) return null;
    var rect = canvas.getBoundingClientRect(), w = rect.width;
    var x0 = Math.max(0, xOf(C.start[k], w)), x1 = Math.min(w, xOf(C.start[k] + C.dur[k], w));
    var y = laneTop[li] - st.y + HEAD + (C.depth[k] - flowIndex(f).lo) * ROW;
    return { x: rect.left + (x0 + Math.max(x0 + 1, x1)) / 2, y: rect.top + y + ROW / 2, visible: y >= 0 && y + ROW <= rect.height && x1 >= 0 && x0 <= w };
  }

  var drag = null;
  canvas.addEventListener("mousedown", function (e) { drag = { x: e.clientX, y: e.clientY, t0: st.t0, t1: st.t1, sy: st.y, moved: false }; });
  window.addEventListener("mousemove", function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    if (!drag.moved) return;
    var dt = dx / canvas.getBoundingClientRect().width * (drag.t1 - drag.t0);
    st.t0 = drag.t0 - dt; st.t1 = drag.t1 - dt;
    st.y = Math.max(0, Math.min(Math.max(0, totalHeight - 40), drag.sy - dy));
    draw();
  });
  window.addEventListener("mouseup", function (e) {
    if (drag && !drag.moved && e.target === canvas) {
      var k = hit(e.clientX, e.clientY);
      if (k >= 0) selectSpan(k, false);
    }
    drag = null;
  });
  canvas.addEventListener("wheel", function (e) {
    e.preventDefault();
    var rect = canvas.getBoundingClientRect();
    if (e.ctrlKey || e.metaKey || e.altKey) {
      var f = Math.exp(e.deltaY * 0.002), at = st.t0 + (e.clientX - rect.left) / rect.width * (st.t1 - st.t0);
      st.t0 = at - (at - st.t0) * f; st.t1 = at + (st.t1 - at) * f;
    } else if (e.shiftKey) {
      var dt = e.deltaY / rect.width * (st.t1 - st.t0);
      st.t0 += dt; st.t1 += dt;
    } else {
      st.y = Math.max(0, Math.min(Math.max(0, totalHeight - 40), st.y + e.deltaY));
    }
    draw();
  }, { passive: false });
  function zoom(f) { var mid = (st.t0 + st.t1) / 2, half = (st.t1 - st.t0) / 2 * f; st.t0 = mid - half; st.t1 = mid + half; draw(); }
  $("zoom-in").addEventListener("click", function () { zoom(0.5); });
  $("zoom-out").addEventListener("click", function () { zoom(2); });
  $("zoom-fit").addEventListener("click", function () { if (st.group >= 0) selectGroup(st.group, true); });

  // ---- the details of a span: duration, exception, file and line, its causal chain ----
  function selectSpan(k, reveal) {
    st.span = k;
    var f = flowOf(k);
    if (FLOWS[f].group !== st.group) selectGroup(FLOWS[f].group, true);
    st.flow = f;
    if (reveal) {
      var li = lanes.indexOf(f), y = laneTop[li] + HEAD + (C.depth[k] - flowIndex(f).lo) * ROW;
      var h = canvas.getBoundingClientRect().height;
      if (y < st.y || y > st.y + h - ROW) st.y = Math.max(0, y - h / 3);
      var s = C.start[k], e = s + C.dur[k], win = st.t1 - st.t0;
      if (e - s > win) { win = (e - s) * 1.5; }
      if (s < st.t0 || e > st.t1) { st.t0 = (s + e) / 2 - win / 2; st.t1 = st.t0 + win; }
    }
    buildRows();
    draw();
    showDetails(k);
  }
  function showDetails(k) {
    var box = $("details");
    box.textContent = "";
    box.appendChild(el("h2", "", S[C.name[k]]));
    var dl = el("dl");
    function item(term, value, cls) { dl.appendChild(el("dt", "", term)); dl.appendChild(el("dd", cls || "", value)); }
    item("duration", fmtUs(durUs(k)) + ((C.flags[k] & 4) ? " (unfinished)" : ""));
    item("flow", FLOWS[flowOf(k)].label + ", depth " + C.depth[k] + ((C.flags[k] & 1) ? ", async" : ""));
    item("file", C.file[k] >= 0 ? S[C.file[k]] + (C.line[k] ? ":" + C.line[k] : "") : "-");
    if (failed(k)) item("exception", C.error[k] >= 0 ? S[C.error[k]] : "(thrown)", "error");
    box.appendChild(dl);
    box.appendChild(el("h3", "", "causal chain (root first)"));
    var ol = el("ol", "chain");
    var chain = chainOf(k), prevFlow = -1;
    chain.forEach(function (s) {
      var f = flowOf(s), li = el("li", s === k ? "current" : "");
      li.appendChild(el("span", "name", S[C.name[s]]));
      li.appendChild(el("span", "meta", (f !== prevFlow ? FLOWS[f].label + " · " : "") + fmtUs(durUs(s)) + (failed(s) ? " · threw" : "")));
      if (prevFlow !== -1 && f !== prevFlow) li.classList.add("hop");
      prevFlow = f;
      li.dataset.span = s;
      ol.appendChild(li);
    });
    box.appendChild(ol);
    var b = el("button", "", "chains of " + S[C.name[k]]);
    b.id = "show-chains";
    b.addEventListener("click", function () { showChains(C.name[k]); });
    box.appendChild(b);
  }
  $("details").addEventListener("click", function (e) {
    var li = e.target.closest("li[data-span]");
    if (li) selectSpan(Number(li.dataset.span), true);
  });

  // ---- the chains view: every distinct causal chain that reached a function ----
  function showChains(fn) {
    st.fn = fn;
    var calls = callsOf(fn), memo = new Map(), ids = new Map(), rows = new Map(), parentOf = [], nameOf = [];
    function chainId(k) {
      var path = [], cur = k, base = -1;
      while (cur !== -1) {
        var m = memo.get(cur);
        if (m !== undefined) { base = m; break; }
        path.push(cur);
        cur = C.parent[cur];
      }
      for (var i = path.length - 1; i >= 0; i--) {
        var s = path[i];
        if (isRequest(s)) { memo.set(s, base); continue; }
        var key = base + ":" + C.name[s], id = ids.get(key);
        if (id === undefined) { id = parentOf.length; parentOf.push(base); nameOf.push(C.name[s]); ids.set(key, id); }
        memo.set(s, id);
        base = id;
      }
      return base;
    }
    var selected = 0;
    for (var i = 0; i < calls.length; i++) {
      var k = calls[i];
      if (st.onlyThrew && !failed(k)) continue;
      selected++;
      var id = chainId(k), row = rows.get(id), d = durUs(k);
      if (!row) { row = { id: id, calls: 0, threw: 0, total: NaN, slowest: NaN, example: k, first: k }; rows.set(id, row); }
      row.calls++;
      if (failed(k)) row.threw++;
      if (isFinite(d)) { row.total = isNaN(row.total) ? d : row.total + d; if (!(d <= row.slowest)) { row.slowest = d; row.example = k; } }
    }
    var list = Array.from(rows.values()).sort(function (a, b) { return b.calls - a.calls || C.start[a.first] - C.start[b.first]; });
    function names(id) { var out = []; for (var c = id; c !== -1; c = parentOf[c]) out.push(S[nameOf[c]]); return out.reverse(); }
    var named = list.map(function (r) { return names(r.id); });
    // The root every chain shares is printed once (each chain keeps its call and caller).
    var common = 0;
    if (named.length > 1) {
      var max = Math.min.apply(null, named.map(function (n) { return n.length; })) - 2;
      while (common < max && named.every(function (n) { return n[common] === named[0][common]; })) common++;
    }
    var box = $("chains");
    box.textContent = "";
    box.hidden = false;
    var head = el("div", "chains-head");
    head.appendChild(el("h2", "", S[fn] + ": " + selected + " call" + (selected === 1 ? "" : "s") + " in " + list.length + " chain" + (list.length === 1 ? "" : "s") + (common ? ", all from " + named[0].slice(0, common).join(" → ") : "")));
    var threw = el("label", "toggle");
    var cb = el("input");
    cb.type = "checkbox"; cb.checked = st.onlyThrew; cb.id = "only-threw";
    cb.addEventListener("change", function () { st.onlyThrew = cb.checked; showChains(fn); });
    threw.appendChild(cb); threw.appendChild(document.createTextNode(" only calls that threw"));
    head.appendChild(threw);
    var close = el("button", "", "close");
    close.addEventListener("click", function () { box.hidden = true; st.fn = -1; draw(); });
    head.appendChild(close);
    box.appendChild(head);
    var table = el("table");
    var tr = el("tr");
    ["calls", "threw", "total", "slowest", "example", "chain"].forEach(function (h) { tr.appendChild(el("th", "", h)); });
    table.appendChild(tr);
    list.slice(0, 500).forEach(function (r, i) {
      var row = el("tr", "chain-row");
      row.dataset.span = r.example;
      [String(r.calls), String(r.threw), fmtUs(r.total), fmtUs(r.slowest), FLOWS[flowOf(r.example)].label].forEach(function (c) { row.appendChild(el("td", "num", c)); });
      row.appendChild(el("td", "chain-text", named[i].slice(common).join(" → ")));
      table.appendChild(row);
    });
    box.appendChild(table);
    if (list.length > 500) box.appendChild(el("p", "meta", (list.length - 500) + " more chains not shown"));
    hooks.chains = named.map(function (n) { return n.slice(common).join(" → "); });
    draw();
  }
  $("chains").addEventListener("click", function (e) {
    var tr = e.target.closest("tr[data-span]");
    if (tr) selectSpan(Number(tr.dataset.span), true);
  });

  // ---- search: function names, with their call counts ----
  var search = $("search"), results = $("results");
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    results.textContent = "";
    if (!q) { results.hidden = true; return; }
    var ix = nameIndex(), found = [];
    for (var i = 0; i < S.length && found.length < 50; i++) {
      var n = ix.offsets[i + 1] - ix.offsets[i];
      if (n > 0 && S[i].toLowerCase().indexOf(q) !== -1) found.push(i);
    }
    found.sort(function (a, b) { return (ix.offsets[b + 1] - ix.offsets[b]) - (ix.offsets[a + 1] - ix.offsets[a]); });
    found.forEach(function (fn) {
      var li = el("li", "", S[fn]);
      li.appendChild(el("span", "meta", " " + (ix.offsets[fn + 1] - ix.offsets[fn]) + " calls"));
      li.dataset.fn = fn;
      results.appendChild(li);
    });
    if (found.length === 0) results.appendChild(el("li", "meta", "no function matches"));
    results.hidden = false;
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { var first = results.querySelector("li[data-fn]"); if (first) pick(Number(first.dataset.fn)); }
    if (e.key === "Escape") { results.hidden = true; }
  });
  results.addEventListener("click", function (e) {
    var li = e.target.closest("li[data-fn]");
    if (li) pick(Number(li.dataset.fn));
  });
  function pick(fn) {
    results.hidden = true;
    search.value = S[fn];
    showChains(fn);
    var calls = callsOf(fn);
    if (calls.length > 0 && (st.span < 0 || C.name[st.span] !== fn)) selectSpan(calls[0], true);
  }

  window.addEventListener("resize", resize);
  window.addEventListener("error", function (e) { hooks.errors.push(String(e.message)); });
  var t0 = performance.now();
  decode().then(function () {
    hooks.decodeMs = performance.now() - t0;
    $("status").textContent = N + " spans · " + FLOWS.length + " flows · " + GROUPS.length + " trace" + (GROUPS.length === 1 ? "" : "s") + (TICK === 1 ? " · times are line numbers (the tree had no timestamps)" : "") + " · decoded in " + Math.round(hooks.decodeMs) + " ms";
    resize();
    var busiest = 0;
    GROUPS.forEach(function (g, i) { if (g.spans > GROUPS[busiest].spans) busiest = i; });
    if (GROUPS.length > 0) selectGroup(busiest, true);
    hooks.loadMs = performance.now() - t0;
    hooks.ready = true;
    document.body.dataset.ready = "1";
  }).catch(function (e) {
    $("status").textContent = "could not read the embedded trace: " + e;
    hooks.errors.push(String(e));
    console.error(e);
  });
  hooks.selectSpan = function (k) { selectSpan(k, true); };
  hooks.selectFlow = selectFlow;
  hooks.selectGroup = function (g) { selectGroup(g, true); };
  hooks.spanBox = spanBox;
  hooks.find = function (name) { var fn = S.indexOf(name); return fn < 0 ? [] : Array.from(callsOf(fn)); };
  hooks.flowLabel = function (k) { return FLOWS[flowOf(k)].label; };
  hooks.paint = paint;
  /** Shows span k in a window factor times its duration (tests click on it then). */
  hooks.zoomTo = function (k, factor) {
    var f = flowOf(k);
    if (FLOWS[f].group !== st.group) selectGroup(FLOWS[f].group, true);
    var s = C.start[k], d = Math.max(C.dur[k], 1), li = lanes.indexOf(f);
    st.t0 = s - d * (factor - 1) / 2; st.t1 = st.t0 + d * factor;
    var y = laneTop[li] + HEAD + (C.depth[k] - flowIndex(f).lo) * ROW, h = canvas.getBoundingClientRect().height;
    st.y = Math.max(0, y - h / 3);
    paint();
  };
})();
`;
