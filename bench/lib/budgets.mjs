// The budgets of issue 5, checked against rows of one run. A budget is never relaxed to pass:
// a row that misses it is marked MISSED with the figures.

const OFF_MODES = new Set(["off-env", "off-cond"]);
const OFF_WORKLOADS = /^(fib\(\d+\)|marked|semver)/;

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
  }
}

function budgetFor(r, rows, manifest) {
  if (OFF_MODES.has(r.mode) && OFF_WORKLOADS.test(r.workload)) {
    return { budget: "≤ 1.05× uninstrumented", ok: r.ratio <= 1.05 };
  }
  if (r.mode === "removed" && manifest) {
    return { budget: "byte-identical to the original", ok: manifest.removedIdentical, detail: manifest.removedIdentical ? "identical" : `differ: ${manifest.differ.join(", ")}` };
  }
  if ((r.mode === "rec" || r.mode === "record") && r.group === "micro") {
    // the floor measured in the same process (interleaved with this row): the next floor row of the workload
    const floor = find(rows.slice(rows.indexOf(r)), (f) => f.mode === "floor" && f.workload === r.workload);
    const njs = find(rows, (f) => f.mode === "peer-njs-on" && f.workload === r.workload);
    const checks = [];
    if (floor) checks.push({ budget: `≤ 1.5× floor (${ns(floor.perCallNs)} ns) per call`, ok: r.perCallNs <= 1.5 * floor.perCallNs, detail: `${ns(r.perCallNs)} ns/call = ${(r.perCallNs / floor.perCallNs).toFixed(2)}× floor` });
    if (njs) checks.push({ budget: `≥ 10× faster than njsTrace (${ns(njs.perCallNs)} ns)`, ok: njs.perCallNs >= 10 * r.perCallNs, detail: `njsTrace/functrace = ${(njs.perCallNs / r.perCallNs).toFixed(1)}×` });
    return merge(checks);
  }
  if (r.mode === "printer" && r.perCallNs != null) {
    return { budget: "≤ 400 ns per call", ok: r.perCallNs <= 400, detail: `${ns(r.perCallNs)} ns/call` };
  }
  if ((r.mode === "zipkin" || r.mode === "otlp") && r.perCallNs != null) {
    const otel = find(rows, (f) => f.mode === "peer-otel" && f.workload === r.workload) ?? find(rows, (f) => f.mode === "peer-otel" && f.workload === "megamorphic call");
    if (!otel) return null;
    const checks = [{ budget: `≥ 3× cheaper than an OTel SDK span (${ns(otel.perCallNs)} ns${otel.workload === r.workload ? "" : ", megamorphic row"})`, ok: 3 * r.perCallNs <= otel.perCallNs, detail: `${ns(r.perCallNs)} ns/span, OTel/functrace = ${(otel.perCallNs / r.perCallNs).toFixed(2)}×` }];
    if (r.dropped > 0) checks.push({ budget: "no span dropped in a cost row", ok: false, detail: `${r.dropped} dropped` });
    return merge(checks);
  }
  // serialization included: lines with a no-op exporter on the functrace side are informative
  if (r.group === "export-cost" && r.mode === "functrace" && r.ratio != null && !/no-op exporter$/.test(r.name)) {
    return { budget: "≥ 3× cheaper than an SDK span with a no-op exporter (same shape)", ok: r.ratio <= 1 / 3, detail: `SDK/functrace = ${(1 / r.ratio).toFixed(2)}×` };
  }
  if (r.group === "memory" && r.mode === "summary") {
    return { budget: "bounded, drops counted, no growth", ok: r.bounded === true, detail: r.detail };
  }
  return null;
}

function merge(checks) {
  if (checks.length === 0) return null;
  return { budget: checks.map((c) => c.budget).join("; "), ok: checks.every((c) => c.ok), detail: checks.map((c) => c.detail).filter(Boolean).join("; ") };
}
