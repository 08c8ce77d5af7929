/**
 * The search box: function names by their call counts; picking one opens its chains.
 *
 * One part of the page script's single closure, not a module: see `../page-script.ts`.
 */
export const SEARCH_PART = String.raw`
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
`;
