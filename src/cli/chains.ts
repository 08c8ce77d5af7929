import { FLAG_FAILED, FLAG_REQUEST, formatMicros, type TraceModel } from "./model.js";

/** What `functrace chains` selects. */
export interface ChainOptions {
  /** Only the N slowest calls (listed one by one after the table). */
  slowest?: number;
  /** Only the calls that threw (or whose promise rejected). */
  threw?: boolean;
  /** Print whole chains, without factoring out the root they all share. */
  full?: boolean;
}

/** One distinct causal chain that reached the function: names from the root to the call. */
export interface ChainRow {
  readonly names: string[];
  calls: number;
  threw: number;
  /** Microseconds; NaN when the recording has no durations. */
  total: number;
  slowest: number;
  /** The span shown as the example: the slowest call, else the first. */
  example: number;
  /** The earliest call of this chain (ordering of rows with equal counts). */
  first: number;
}

export interface ChainReport {
  readonly pattern: string;
  /** The function names the pattern matched. */
  readonly functions: string[];
  /** Calls counted (after --threw / --slowest). */
  readonly calls: number;
  /** Calls of the matched functions in the whole recording. */
  readonly allCalls: number;
  readonly rows: ChainRow[];
  /** The root all chains share, factored out of the rows (empty with `full`, or one chain). */
  readonly commonRoot: string[];
  /** With --slowest: the selected calls, slowest first. */
  readonly selected: number[];
}

/**
 * Which names a pattern selects: `/regex/`, a glob with `*` and `?`, or a name: equal, or the
 * last part of a qualified name (`D` selects `main.D`).
 */
export function nameMatcher(pattern: string): (name: string) => boolean {
  const re = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (re !== null) {
    let regex: RegExp;
    try {
      regex = new RegExp(re[1], re[2]);
    } catch (e) {
      throw new Error(`invalid pattern ${pattern}: ${(e as Error).message}`);
    }
    return (name) => regex.test(name);
  }
  if (/[*?]/.test(pattern)) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    const glob = new RegExp(`^${source}$`);
    return (name) => glob.test(name);
  }
  const suffix = "." + pattern;
  return (name) => name === pattern || name.endsWith(suffix);
}

/**
 * Every distinct causal chain that reached the functions the pattern selects. A chain is the
 * names from the root span down to the call, following parent ids across flows (a callback's
 * chain continues in the flow that scheduled it). Linear in the spans: each ancestor's chain
 * is interned once (a chain id per (parent chain, name)).
 */
export function findChains(model: TraceModel, pattern: string, options: ChainOptions = {}): ChainReport {
  const match = nameMatcher(pattern);
  const wanted = new Uint8Array(model.strings.length);
  const functions: string[] = [];
  model.strings.forEach((s, i) => {
    if (match(s)) wanted[i] = 1;
  });
  const seen = new Uint8Array(model.strings.length);
  let targets: number[] = [];
  for (let i = 0; i < model.count; i++) {
    const n = model.name[i];
    if (wanted[n] === 1) {
      targets.push(i);
      if (seen[n] === 0) {
        seen[n] = 1;
        functions.push(model.strings[n]);
      }
    }
  }
  const allCalls = targets.length;
  if (options.threw === true) targets = targets.filter((i) => (model.flags[i] & FLAG_FAILED) !== 0);
  let selected: number[] = [];
  if (options.slowest !== undefined) {
    targets.sort((a, b) => durOf(model, b) - durOf(model, a) || a - b);
    targets = targets.slice(0, options.slowest);
    selected = targets.slice();
  }
  const chains = new ChainInterner(model);
  const rows = new Map<number, ChainRow>();
  for (const i of targets) {
    const id = chains.of(i);
    let row = rows.get(id);
    if (row === undefined) {
      row = { names: chains.names(id), calls: 0, threw: 0, total: NaN, slowest: NaN, example: i, first: i };
      rows.set(id, row);
    }
    row.calls++;
    if ((model.flags[i] & FLAG_FAILED) !== 0) row.threw++;
    const d = model.dur[i];
    if (Number.isFinite(d)) {
      row.total = Number.isNaN(row.total) ? d : row.total + d;
      if (!(d <= row.slowest)) {
        row.slowest = d;
        row.example = i;
      }
    }
    if (model.start[i] < model.start[row.first]) row.first = i;
  }
  const list = [...rows.values()].sort((a, b) =>
    options.slowest !== undefined ? b.slowest - a.slowest || model.start[a.first] - model.start[b.first] : b.calls - a.calls || model.start[a.first] - model.start[b.first],
  );
  return { pattern, functions, calls: targets.length, allCalls, rows: list, commonRoot: options.full === true ? [] : commonRoot(list), selected };
}

function durOf(model: TraceModel, i: number): number {
  const d = model.dur[i];
  return Number.isFinite(d) ? d : -1;
}

/**
 * The root every chain starts with, when there are several chains: printed once above them.
 * Each chain keeps at least its last two names (the call and its caller).
 */
function commonRoot(rows: readonly ChainRow[]): string[] {
  if (rows.length < 2) return [];
  let n = Math.min(...rows.map((r) => r.names.length)) - 2;
  const first = rows[0].names;
  for (let k = 0; k < n; k++) {
    if (rows.some((r) => r.names[k] !== first[k])) {
      n = k;
      break;
    }
  }
  return n > 0 ? first.slice(0, n) : [];
}

/** Chain ids: chain(span) = intern(chain(parent), name); request (server) spans are left out. */
class ChainInterner {
  private readonly _memo = new Map<number, number>();
  private readonly _ids = new Map<string, number>();
  private readonly _parent: number[] = [];
  private readonly _name: number[] = [];

  constructor(private readonly _model: TraceModel) {}

  of(span: number): number {
    const m = this._model;
    const path: number[] = [];
    let cur = span;
    let base = -1;
    while (cur !== -1) {
      const known = this._memo.get(cur);
      if (known !== undefined) {
        base = known;
        break;
      }
      path.push(cur);
      if (path.length > m.count) throw new Error("the recording's parent links form a cycle");
      cur = m.parent[cur];
    }
    for (let k = path.length - 1; k >= 0; k--) {
      const s = path[k];
      // The server span of a request names a path, not a function: the trace id says which request it was.
      if ((m.flags[s] & FLAG_REQUEST) !== 0) {
        this._memo.set(s, base);
        continue;
      }
      const key = base + ":" + m.name[s];
      let id = this._ids.get(key);
      if (id === undefined) {
        id = this._parent.length;
        this._parent.push(base);
        this._name.push(m.name[s]);
        this._ids.set(key, id);
      }
      this._memo.set(s, id);
      base = id;
    }
    return base;
  }

  names(id: number): string[] {
    const out: string[] = [];
    for (let c = id; c !== -1; c = this._parent[c]) out.push(this._model.strings[this._name[c]]);
    return out.reverse();
  }
}

/** The causal chain of one span, root first, as span indices (across flows). */
export function chainOf(model: TraceModel, span: number): number[] {
  const out: number[] = [];
  for (let cur = span; cur !== -1 && out.length <= model.count; cur = model.parent[cur]) out.push(cur);
  return out.reverse();
}

/** Where an example call ran: its flow and, when known, the trace's short id. */
export function exampleOf(model: TraceModel, span: number): string {
  const flow = model.flow[span];
  const trace = model.flowTraces()[flow];
  return trace !== undefined ? `${model.flowLabel(flow)} ${trace.slice(0, 8)}` : model.flowLabel(flow);
}

/** The report as text: a header, one row per chain, the selected calls with --slowest. */
export function formatChains(model: TraceModel, report: ChainReport): string {
  const src = model.source;
  if (report.functions.length === 0) {
    return `functrace chains: no call matches ${JSON.stringify(report.pattern)} in ${src.file} (${model.count} spans)\n`;
  }
  const what = report.functions.length === 1 ? report.functions[0] : `${report.functions.length} functions matching ${report.pattern}`;
  const filters: string[] = [];
  if (report.calls !== report.allCalls) filters.push(`${report.calls} of ${report.allCalls} calls selected`);
  let head = `${what}: ${report.calls} call${report.calls === 1 ? "" : "s"} in ${report.rows.length} chain${report.rows.length === 1 ? "" : "s"}`;
  if (report.commonRoot.length > 0) head += `, all from ${report.commonRoot.join(" → ")}`;
  head += ` (${src.file}${filters.length > 0 ? "; " + filters.join("; ") : ""})`;
  const lines = [head];
  if (report.rows.length === 0) return lines.join("\n") + "\n";
  const cut = report.commonRoot.length;
  const table = report.rows.map((r) => [String(r.calls), String(r.threw), formatMicros(r.total), formatMicros(r.slowest), exampleOf(model, r.example), r.names.slice(cut).join(" → ")]);
  const header = ["calls", "threw", "total", "slowest", "example", "chain"];
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c].length)));
  const fmt = (row: string[]): string =>
    row
      .map((cell, c) => (c === row.length - 1 ? cell : c < 4 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join("  ")
      .trimEnd();
  lines.push(fmt(header), ...table.map(fmt));
  if (report.selected.length > 0) {
    lines.push("", `the ${report.selected.length} slowest call${report.selected.length === 1 ? "" : "s"}:`);
    for (const i of report.selected) {
      const err = (model.flags[i] & FLAG_FAILED) !== 0 ? `  !${model.strings[model.error[i]]}` : "";
      lines.push(`  ${formatMicros(model.dur[i]).padStart(9)}  ${exampleOf(model, i)}  ${chainOf(model, i).slice(cut).map((s) => model.nameOf(s)).join(" → ")}${err}`);
    }
  }
  return lines.join("\n") + "\n";
}

/** The report as JSON (for scripts). */
export function chainsJson(model: TraceModel, report: ChainReport): unknown {
  return {
    file: model.source.file,
    format: model.source.format,
    pattern: report.pattern,
    functions: report.functions,
    calls: report.calls,
    commonRoot: report.commonRoot,
    chains: report.rows.map((r) => ({
      chain: r.names,
      calls: r.calls,
      threw: r.threw,
      totalUs: Number.isFinite(r.total) ? r.total : null,
      slowestUs: Number.isFinite(r.slowest) ? r.slowest : null,
      example: { flow: model.flowLabel(model.flow[r.example]), traceId: model.flowTraces()[model.flow[r.example]] ?? null },
    })),
  };
}
