// Renders the results of one run as a Markdown table (the README's performance section pastes it).

/** 1234567 ns -> "1.23 ms"; other units print as they are. */
export function formatValue(value, unit = "") {
  if (value == null || !Number.isFinite(value)) return "—";
  if (!unit.startsWith("ns")) return `${num(value)} ${unit}`;
  const rest = unit.slice(2);
  const [v, u] = value >= 1e9 ? [value / 1e9, "s"] : value >= 1e6 ? [value / 1e6, "ms"] : value >= 1e4 ? [value / 1e3, "µs"] : [value, "ns"];
  return `${num(v)} ${u}${rest}`;
}

function num(v) {
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString("en");
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

const cell = (s) => String(s ?? "").replace(/\|/g, "\\|");

/** The table: one line per row; budgets and their status in the last columns. */
export function renderTable(result) {
  const m = result.machine;
  let md = `\nfunctrace benchmarks — ${result.date.slice(0, 10)}, Node ${m.node}, ${m.cpus}× ${m.cpu}, ${m.memGiB} GiB` + `${result.quick ? " (--quick)" : ""}\n\n`;
  md += "| row | median | min | ratio | extra per call | budget | status |\n|---|---|---|---|---|---|---|\n";
  let group = null;
  for (const r of result.rows) {
    if (r.group !== group) {
      group = r.group;
      md += `| **${cell(group)}** | | | | | | |\n`;
    }
    if (r.error) {
      md += `| ${cell(r.name)} | ${cell(r.error)} | | | | | FAILED |\n`;
      continue;
    }
    const ratio = r.ratio == null ? "" : `${r.ratio.toFixed(2)}×`;
    const perCall = r.perCallNs == null || r.mode === "base" ? "" : `${r.perCallNs >= 0 ? "+" : ""}${num(r.perCallNs)} ns`;
    const status = r.status ? (r.status === "met" ? "met" : "**MISSED**") : "";
    const budget = r.budget ? `${r.budget}${r.budgetDetail ? ` — ${r.budgetDetail}` : ""}` : "";
    md += `| ${cell(r.name)} | ${formatValue(r.median, r.unit)} | ${formatValue(r.min, r.unit)} | ${ratio} | ${perCall} | ${cell(budget)} | ${status} |\n`;
  }
  const met = result.rows.filter((r) => r.status === "met").length;
  const missed = result.rows.filter((r) => r.status === "MISSED").length;
  const failed = result.rows.filter((r) => r.error).length;
  md += `\nbudgets: ${met} met, ${missed} missed${failed ? `; ${failed} row(s) failed` : ""}. Ratios: paired medians of interleaved samples against the uninstrumented copy in the same process (see docs/benchmarks.md).\n`;
  return md;
}
