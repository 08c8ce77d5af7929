/**
 * The right pane: one span's duration, exception, file and line, and its causal chain.
 *
 * One part of the page script's single closure, not a module: see `../page-script.ts`.
 */
export const DETAILS_PART = String.raw`
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
`;
