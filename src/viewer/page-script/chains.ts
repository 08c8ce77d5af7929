/**
 * The chains view: every distinct causal chain that reached a function (the algorithm of
 * `../../cli/chains.ts`, in the page).
 *
 * One part of the page script's single closure, not a module: see `../page-script.ts`.
 */
export const CHAINS_PART = String.raw`
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
`;
