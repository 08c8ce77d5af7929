/**
 * From the pointer to spans: hit testing, where a span is drawn, drag, wheel and the zoom buttons.
 *
 * One part of the page script's single closure, not a module: see `../page-script.ts`.
 */
export const FLAME_POINTER_PART = String.raw`
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
`;
