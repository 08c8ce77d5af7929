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

/** The nodes of a result, in run order (older results.json: the driver's Node only). */
export function nodesOf(result) {
  if (result.machine.nodes?.length) return result.machine.nodes.map((n) => n.node);
  return [...new Set(result.rows.map((r) => r.node ?? result.machine.node))];
}

/** The full table of one Node's rows: one line per row; budgets and their status in the last columns. */
export function renderNodeTable(result, node) {
  const rows = result.rows.filter((r) => (r.node ?? result.machine.node) === node);
  let md = "| row | median | min | ratio | extra per call | budget | status |\n|---|---|---|---|---|---|---|\n";
  let group = null;
  for (const r of rows) {
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
  return md + `\n${counts(rows)}\n`;
}

function counts(rows) {
  const met = rows.filter((r) => r.status === "met").length;
  const missed = rows.filter((r) => r.status === "MISSED").length;
  const failed = rows.filter((r) => r.error).length;
  return `budgets: ${met} met, ${missed} missed${failed ? `; ${failed} row(s) failed` : ""}`;
}

/** The budget text without the figures of one Node (floors, peers), for a table across Nodes. */
const genericBudget = (b) => b.replace(/ \([^)]*\d[^)]*\)/g, "");

/** Every budgeted row, one column per Node: the figure and met / MISSED. */
export function renderBudgetSummary(result) {
  const nodes = nodesOf(result);
  const byName = new Map();
  for (const r of result.rows) {
    if (!r.budget && !r.error) continue;
    if (!byName.has(r.name)) byName.set(r.name, new Map());
    byName.get(r.name).set(r.node ?? result.machine.node, r);
  }
  let md = `| row | budget | ${nodes.map((n) => `Node ${n}`).join(" | ")} |\n|---|---|${nodes.map(() => "---|").join("")}\n`;
  for (const [name, per] of byName) {
    const any = [...per.values()].find((r) => r.budget) ?? [...per.values()][0];
    const cells = nodes.map((n) => {
      const r = per.get(n);
      if (!r) return "—";
      if (r.error) return "FAILED";
      return `${r.status === "met" ? "met" : "**MISSED**"}${r.budgetFigure ? ` (${cell(r.budgetFigure)})` : ""}`;
    });
    md += `| ${cell(name)} | ${cell(genericBudget(any.budget ?? ""))} | ${cells.join(" | ")} |\n`;
  }
  md += `\n${nodes.map((n) => `Node ${n}: ${counts(result.rows.filter((r) => (r.node ?? result.machine.node) === n))}`).join("; ")}.\n`;
  return md;
}

/** Everything: a per-Node budget summary, then each Node's full table. */
export function renderTable(result) {
  const m = result.machine;
  const nodes = nodesOf(result);
  let md = `\nfunctrace benchmarks — ${result.date.slice(0, 10)}, Node ${nodes.join(" and ")}, ${m.cpus}× ${m.cpu}, ${m.memGiB} GiB` + `${result.quick ? " (--quick)" : ""}\n\n`;
  md += "## Budgets per Node\n\n" + renderBudgetSummary(result);
  for (const n of nodes) md += `\n## Node ${n}\n\n` + renderNodeTable(result, n);
  md += "\nRatios: paired medians of interleaved samples against the uninstrumented copy in the same process (see docs/benchmarks.md).\n";
  if (Number.isFinite(m.stolenCpuSeconds)) md += `CPU time stolen by the host (other guests) during the run: ${m.stolenCpuSeconds} s of ${result.seconds * m.cpus} CPU-seconds.\n`;
  return md;
}
