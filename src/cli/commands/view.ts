import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { CliCommand } from "../context.js";
import { loadTrace } from "../input.js";
import { renderViewer } from "../../viewer/render.js";

/** `functrace view [trace] [-o file.html]`: one self-contained HTML viewer of a recording. */
export const viewCommand: CliCommand = {
  name: "view",
  register(program, ctx) {
    program
      .command("view")
      .description("write one self-contained HTML file (no network) to explore a recording: requests, flows, flame charts, chains")
      .argument("[trace]", "a Chrome trace file or the tree text; standard input when absent or -")
      .option("-o, --output <file>", "the HTML file to write (default: <trace>.html, or functrace-view.html)")
      .action(async (trace: string | undefined, o: { output?: string }) => {
        const t0 = performance.now();
        const model = await loadTrace(trace, ctx.stdin);
        const html = renderViewer(model, { title: trace === undefined || trace === "-" ? "stdin" : basename(trace) });
        const out = o.output ?? (trace === undefined || trace === "-" ? "functrace-view.html" : trace.replace(/\.(json|txt|log)$/, "") + ".html");
        writeFileSync(out, html);
        const kb = Buffer.byteLength(html) / 1024;
        ctx.stderr(`functrace view: ${model.count} spans, ${model.flows.length} flows -> ${out} (${kb >= 1024 ? (kb / 1024).toFixed(1) + " MiB" : kb.toFixed(0) + " KiB"}, ${Math.round(performance.now() - t0)} ms)\n`);
      });
  },
};
