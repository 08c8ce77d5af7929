import { chainsJson, findChains, formatChains } from "../chains.js";
import { positiveInt, type CliCommand } from "../context.js";
import { loadTrace } from "../input.js";

/** `functrace chains <name-or-pattern> [trace]`: every distinct causal chain that reached a function. */
export const chainsCommand: CliCommand = {
  name: "chains",
  register(program, ctx) {
    program
      .command("chains")
      .description("print every distinct causal chain (across flows) that reached a function, with counts, durations and errors")
      .argument("<name-or-pattern>", "a function name (`D` also matches `main.D`), a glob (`orders.*`) or /regex/")
      .argument("[trace]", "a Chrome trace file or the tree text; standard input when absent or -")
      .option("--slowest <n>", "only the N slowest calls (also listed one by one)", positiveInt)
      .option("--threw", "only the calls that threw or rejected")
      .option("--full", "print whole chains (do not factor out the root they all share)")
      .option("--json", "print JSON")
      .action(async (pattern: string, trace: string | undefined, o: { slowest?: number; threw?: boolean; full?: boolean; json?: boolean }) => {
        const model = await loadTrace(trace, ctx.stdin);
        const report = findChains(model, pattern, { slowest: o.slowest, threw: o.threw, full: o.full });
        ctx.stdout(o.json === true ? JSON.stringify(chainsJson(model, report), null, 2) + "\n" : formatChains(model, report));
        if (model.skippedLines > 0) ctx.stderr(`functrace: skipped ${model.skippedLines} line(s) that are not tree lines (first: ${model.source.file}:${model.firstSkipped})\n`);
        if (report.functions.length === 0) ctx.code = 1;
      });
  },
};
