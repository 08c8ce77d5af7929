/**
 * The flame chart's lanes: selecting a trace or a flow lays them out; resize and draw schedule
 * a paint (one per animation frame).
 *
 * One part of the page script's single closure, not a module: see `../page-script.ts`.
 */
export const FLAME_LAYOUT_PART = String.raw`
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
`;
