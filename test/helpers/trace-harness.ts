import { addSink, removeSink, configure, InMemorySink, setDiagLogger } from "../../src/trace/index.js";
import { S } from "../../src/trace/state.js";
import { resetDiagReports } from "../../src/trace/diag.js";

/** Installs a fresh in-memory sink for each test and clears engine state around it. */
export function useMemorySink(): { sink: InMemorySink; diagnostics: string[] } {
  const box = { sink: new InMemorySink(), diagnostics: [] as string[] };
  beforeEach(() => {
    box.sink = new InMemorySink();
    box.diagnostics.length = 0;
    resetDiagReports();
    setDiagLogger({
      warn: (m) => box.diagnostics.push(`warn: ${m}`),
      error: (m) => box.diagnostics.push(`error: ${m}`),
    });
    S.cursor.cur = null;
    configure({ include: null, exclude: null, maxDepth: null, minDurationMs: null, sampleRatio: null });
    addSink(box.sink);
  });
  afterEach(() => {
    removeSink(box.sink);
    S.cursor.cur = null;
  });
  return box;
}

/**
 * Checks the rule that must hold: filtering the events by one flow id yields one call chain,
 * correctly nested (each exit closes the innermost open call of that flow, depths step by one).
 */
export function assertFlowsNested(lines: string[]): Map<string, string[]> {
  const stacks = new Map<string, { name: string; depth: number }[]>();
  const byFlow = new Map<string, string[]>();
  for (const line of lines) {
    const m = /^(?:\S+ )?(g\[\d+\]):( *)(->|<-)(\S+)/.exec(line);
    if (!m) continue;
    const [, flow, indent, arrow, name] = m;
    const depth = indent.length / 4;
    const stack = stacks.get(flow) ?? [];
    stacks.set(flow, stack);
    const flowLines = byFlow.get(flow);
    if (flowLines === undefined) byFlow.set(flow, [line]);
    else flowLines.push(line);
    if (arrow === "->") {
      const top = stack[stack.length - 1];
      if (top !== undefined && depth !== top.depth + 1) {
        throw new Error(`${flow}: ${name} entered at depth ${depth} under ${top.name}@${top.depth}\n${line}`);
      }
      stack.push({ name, depth });
    } else {
      const top = stack.pop();
      if (top === undefined || top.name !== name || top.depth !== depth) {
        throw new Error(
          `${flow}: exit of ${name}@${depth} does not close ${top?.name}@${top?.depth}\n${line}`,
        );
      }
    }
  }
  for (const [flow, stack] of stacks) {
    if (stack.length > 0) throw new Error(`${flow}: unclosed ${stack.map((f) => f.name).join(", ")}`);
  }
  return byFlow;
}

/** Clears engine state between tests and collects diagnostics (their plain messages) into `into`. */
export function resetTracer(into: string[]): void {
  into.length = 0;
  resetDiagReports();
  setDiagLogger({ warn: (m) => into.push(m), error: (m) => into.push(m) });
  S.cursor.cur = null;
}
