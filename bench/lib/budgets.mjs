// The budgets of issues 5 and 14, checked against the rows of one run on one Node binary (the
// driver calls this once per --node with that Node's rows only: floors, peers and baselines are
// always the ones the same binary measured). A budget is never relaxed to pass: a row that
// misses it is marked MISSED with the figures. Every check also carries a short `figure` for
// the per-Node summary table.

// no-op budget (issue 14, items 2 and 3): both off modes and "nothing configured", on fib and
// the real and async benches
const OFF_MODES = new Set(["off-env", "off-cond", "idle"]);
const OFF_WORKLOADS = /^(fib\(\d+\)|marked|semver|async)/;
const NJS_FACTOR = 30;
const MB = 1e6 / 2 ** 20; // MiB per MB

const find = (rows, pred) => rows.find((r) => !r.error && pred(r));
const ns = (x) => (x == null || !Number.isFinite(x) ? "?" : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1));

/** Ratios that span two processes of one run (memory: traced RSS over the uninstrumented RSS). */
export function linkBaselines(rows) {
  for (const r of rows) {
    // calls per op are counted in the enabled modes; the other rows of the workload borrow them
    if (r.error || r.calls != null || r.ratio == null || r.mode === "base" || r.baselineMedian == null) continue;
    const counted = find(rows, (c) => c.workload === r.workload && c.group === r.group && c.calls != null);
    if (!counted) continue;
    r.calls = counted.calls;
    r.perCallNs = ((r.ratio - 1) * r.baselineMedian) / r.calls;
  }
  for (const r of rows) {
    if (r.error || r.ratio != null || !r.baseline) continue;
    const base = find(rows, (b) => b.name === r.baseline);
    if (base && r.unit === base.unit) r.ratio = r.median / base.median;
  }
}

/** Adds { budget, status } to every row a budget applies to; status is "met" or "MISSED". */
export function applyBudgets(rows, manifest) {
  for (const r of rows) {
    if (r.error) continue;
    const check = budgetFor(r, rows, manifest);
    if (!check) continue;
    r.budget = check.budget;
    r.status = check.ok ? "met" : "MISSED";
    if (check.detail) r.budgetDetail = check.detail;
    // run.mjs, medianProcess: the row is the median of several processes; say what the others measured
    if (r.processFigures) r.budgetDetail = `${r.budgetDetail ?? ""}${r.budgetDetail ? "; " : ""}median process of ${r.processFigures.map((f) => f.toFixed(2)).join(" / ")}`;
    if (check.figure) r.budgetFigure = check.figure;
  }
}

/**
 * The A/A control beside a no-op row: "instrumented then --remove" is the original's bytes loaded
 * as a second copy and timed against the original like the no-op modes, so its ratio is what the
 * same code reads against itself in this run (JIT and host noise, no tracer).
 */
function controlDetail(control) {
  if (!control || control.ratio == null) return null;
  const spread = processSpread(control);
  return `A/A control (the original against a copy of itself) ${control.ratio.toFixed(2)}×${spread ? `, processes ${spread}` : ""}`;
}

/** "lowest–highest" of a row measured in several processes (run.mjs, medianProcess), else null. */
export function processSpread(r) {
  const figures = r.processFigures?.filter((f) => Number.isFinite(f)) ?? [];
  return figures.length > 1 ? `${Math.min(...figures).toFixed(2)}–${Math.max(...figures).toFixed(2)}` : null;
}

function budgetFor(r, rows, manifest) {
  if (OFF_MODES.has(r.mode) && OFF_WORKLOADS.test(r.workload)) {
    const check = { budget: "≤ 1.05× uninstrumented", ok: r.ratio <= 1.05, figure: `${r.ratio.toFixed(2)}×` };
    const control = controlDetail(find(rows, (f) => f.mode === "removed" && f.group === r.group && f.workload === r.workload));
    if (control) check.detail = control;
    return check;
  }
  if (r.group === "pathological" && r.mode === "record" && r.ratio != null) {
    // issue 14, item 1: the pathological parse with recording on within 1.5x of the original
    return { budget: "≤ 1.5× uninstrumented", ok: r.ratio <= 1.5, figure: `${r.ratio.toFixed(2)}×` };
  }
  if (r.mode === "removed" && manifest) {
    return { budget: "byte-identical to the original", ok: manifest.removedIdentical, detail: manifest.removedIdentical ? "identical" : `differ: ${manifest.differ.join(", ")}`, figure: manifest.removedIdentical ? "identical" : "differs" };
  }
  if ((r.mode === "rec" || r.mode === "record") && r.group === "micro") {
    // the floor measured in the same process (interleaved with this row): the next floor row of the workload
    const floor = find(rows.slice(rows.indexOf(r)), (f) => f.mode === "floor" && f.workload === r.workload);
    const njs = find(rows, (f) => f.mode === "peer-njs-on" && f.workload === r.workload);
    const checks = [];
    if (floor) checks.push(floorCheck(r, floor, ""));
    if (njs) checks.push({ budget: `≥ ${NJS_FACTOR}× faster than njsTrace (${ns(njs.perCallNs)} ns)`, ok: njs.perCallNs >= NJS_FACTOR * r.perCallNs, detail: `njsTrace/functrace = ${(njs.perCallNs / r.perCallNs).toFixed(1)}×`, figure: `njsTrace ${(njs.perCallNs / r.perCallNs).toFixed(1)}×` });
    return merge(checks);
  }
  if ((r.mode === "rec" || r.mode === "record") && r.group === "real" && r.perCallNs != null) {
    // issue 14 item 4: the real benches too, against the floor measured in the same process on
    // the same generated code (group real, floorVariant); the micro megamorphic floor, which
    // pays none of real code's cache and clock costs, is shown beside it
    const own = find(rows, (f) => f.group === "micro" && f.mode === r.mode && f.workload === "megamorphic call");
    const mega = own && find(rows.slice(rows.indexOf(own)), (f) => f.mode === "floor" && f.workload === "megamorphic call");
    const floor = find(rows.slice(rows.indexOf(r)), (f) => f.group === "real" && f.mode === "floor" && f.workload === r.workload);
    if (!floor) return mega ? floorCheck(r, mega, ", megamorphic row") : null;
    const check = floorCheck(r, floor, ", same code");
    if (mega) check.detail += `; ${(r.perCallNs / mega.perCallNs).toFixed(2)}× the micro megamorphic floor (${ns(mega.perCallNs)} ns)`;
    return check;
  }
  if (r.mode === "printer" && r.perCallNs != null) {
    return { budget: "≤ 400 ns per call", ok: r.perCallNs <= 400, detail: `${ns(r.perCallNs)} ns/call`, figure: `+${ns(r.perCallNs)} ns` };
  }
  if ((r.mode === "zipkin" || r.mode === "otlp") && r.perCallNs != null) {
    const otel = find(rows, (f) => f.mode === "peer-otel" && f.workload === r.workload) ?? find(rows, (f) => f.mode === "peer-otel" && f.workload === "megamorphic call");
    if (!otel) return null;
    const x = otel.perCallNs / r.perCallNs;
    const checks = [{ budget: `≥ 3× cheaper than an OTel SDK span (${ns(otel.perCallNs)} ns${otel.workload === r.workload ? "" : ", megamorphic row"})`, ok: 3 * r.perCallNs <= otel.perCallNs, detail: `${ns(r.perCallNs)} ns/span, OTel/functrace = ${x.toFixed(2)}×`, figure: `${x.toFixed(2)}×` }];
    if (r.dropped > 0) checks.push({ budget: "no span dropped in a cost row", ok: false, detail: `${r.dropped} dropped`, figure: `${r.dropped} dropped` });
    return merge(checks);
  }
  // the native encoders, serialization included (issue 14 item 5). The "functrace via sdk" lines
  // hand ReadableSpans to the SDK's own exporters (the compatibility path): informative.
  if (r.group === "export-cost" && r.mode === "functrace" && r.ratio != null && /native/.test(r.name)) {
    return { budget: "≥ 3× cheaper than an SDK span with a no-op exporter (same shape)", ok: r.ratio <= 1 / 3, detail: `SDK/functrace = ${(1 / r.ratio).toFixed(2)}×`, figure: `${(1 / r.ratio).toFixed(2)}×` };
  }
  if (r.group === "memory" && r.mode === "summary") {
    return { budget: "bounded, drops counted, no growth", ok: r.bounded === true, detail: r.detail, figure: `${r.median >= 0 ? "+" : ""}${r.median.toFixed(1)} MiB growth` };
  }
  if (r.group === "memory" && r.mode === "peak") {
    // issue 14 item 8: the traced program's peak RSS within +16 MB of the uninstrumented
    // program's own peak at the same call rate (same Node, same run)
    const base = find(rows, (b) => b.group === "memory" && b.mode === "base");
    if (!base || base.peak == null) return null;
    const extra = r.median - base.peak;
    const steady = find(rows, (b) => b.group === "memory" && b.mode === "steady");
    return {
      budget: "peak RSS ≤ the program's own peak RSS + 16 MB", ok: extra <= 16 * MB,
      detail: `${r.median.toFixed(1)} − ${base.peak.toFixed(1)} MiB = +${(extra / MB).toFixed(1)} MB${steady ? `; steady ${steady.median.toFixed(1)} vs ${base.median.toFixed(1)} MiB (+${((steady.median - base.median) / MB).toFixed(1)} MB)` : ""}`,
      figure: `+${(extra / MB).toFixed(1)} MB`,
    };
  }
  if (r.group === "codemod" && r.mode === "gen" && r.unit === "lines/s") {
    return { budget: "> 100k lines/s", ok: r.median > 100_000, detail: `${Math.round(r.median / 100) / 10}k lines/s`, figure: `${(r.median / 1000).toFixed(1)}k lines/s` };
  }
  if (r.group === "codemod" && r.mode === "gen" && r.unit === "s") {
    return { budget: "< 2 s", ok: r.median < 2, detail: `${r.median.toFixed(2)} s`, figure: `${r.median.toFixed(2)} s` };
  }
  if (r.group === "codemod" && r.mode === "gen-rss") {
    return { budget: "< 500 MB peak RSS", ok: r.median / MB < 500, detail: `${(r.median / MB).toFixed(0)} MB (${r.median.toFixed(0)} MiB)`, figure: `${(r.median / MB).toFixed(0)} MB` };
  }
  if (r.group === "mixer" && /: a1 no Report rule/.test(r.name)) {
    return { budget: "< 10 ns per bag", ok: r.median < 10, detail: `${r.median.toFixed(1)} ns/bag`, figure: `${r.median.toFixed(1)} ns` };
  }
  if (r.group === "mixer" && /: b +one metric rule/.test(r.name)) {
    return { budget: "< 300 ns per bag", ok: r.median < 300, detail: `${r.median.toFixed(0)} ns/bag`, figure: `${r.median.toFixed(0)} ns` };
  }
  return null;
}

function floorCheck(r, floor, where) {
  const x = r.perCallNs / floor.perCallNs;
  return { budget: `≤ 1.5× floor (${ns(floor.perCallNs)} ns${where}) per call`, ok: r.perCallNs <= 1.5 * floor.perCallNs, detail: `${ns(r.perCallNs)} ns/call = ${x.toFixed(2)}× floor`, figure: `${x.toFixed(2)}× floor` };
}

function merge(checks) {
  if (checks.length === 0) return null;
  return { budget: checks.map((c) => c.budget).join("; "), ok: checks.every((c) => c.ok), detail: checks.map((c) => c.detail).filter(Boolean).join("; "), figure: checks.map((c) => `${c.figure}${c.ok ? "" : " ✗"}`).join(", ") };
}
