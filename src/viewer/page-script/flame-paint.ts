/**
 * Painting the flame chart: the visible lanes, their spans and the arrows between flows, with the
 * binary searches that keep a paint to what is on screen (`flame-pointer` uses them too).
 *
 * One part of the page script's single closure, not a module: see `../page-script.ts`.
 */
export const FLAME_PAINT_PART = String.raw`
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
`;
