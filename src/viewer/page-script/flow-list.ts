/**
 * The left pane: the virtualized list of traces and their flows, and its clicks.
 *
 * One part of the page script's single closure, not a module: see `../page-script.ts`.
 */
export const FLOW_LIST_PART = String.raw`
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
`;
