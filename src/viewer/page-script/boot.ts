/**
 * Start-up (decode, then show the busiest trace) and the hooks `test/viewer` drives the page with.
 *
 * One part of the page script's single closure, not a module: see `../page-script.ts`.
 */
export const BOOT_PART = String.raw`
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
`;
