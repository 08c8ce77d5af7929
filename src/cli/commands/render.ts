import { mkdtempSync, openSync, readSync, closeSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError, type CliCommand, type CliContext } from "../context.js";
import { readRecordingFile, RecordingError, type Recording } from "../../trace/record/reader.js";
import { renderChrome, renderOtlpJson, renderTree, renderZipkin, type RenderFilter } from "../../trace/record/render.js";

const FORMATS = ["tree", "chrome", "zipkin", "otlp-json"] as const;

interface RenderOptions {
  format: string;
  output?: string;
  flow?: string[];
  function?: string[];
  request?: string[];
  from?: string;
  to?: string;
  durations?: boolean;
  timestamps?: boolean;
  color?: boolean;
  service?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(",").map((s) => s.trim()).filter((s) => s !== "")];

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name}: expected a number of milliseconds, got '${value}'`);
  return n;
}

/** The filter the options ask for. */
export function filterFromOptions(o: RenderOptions): RenderFilter {
  const filter: { -readonly [K in keyof RenderFilter]: RenderFilter[K] } = {};
  if (o.flow !== undefined) {
    filter.flows = o.flow.map((f) => {
      const id = Number(/^g\[(\d+)\]$/.exec(f)?.[1] ?? f);
      if (!Number.isInteger(id) || id <= 0) throw new UsageError(`--flow: expected flow numbers (3 or g[03]), got '${f}'`);
      return id;
    });
  }
  if (o.function !== undefined) filter.functions = o.function;
  if (o.request !== undefined) filter.requests = o.request;
  filter.from = number("from", o.from);
  filter.to = number("to", o.to);
  return filter;
}

/** Copies a file to the command's stdout in whole lines (bounded memory). */
function pipeFile(file: string, ctx: CliContext): void {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const chunk = Buffer.concat([carry, buf.subarray(0, n)]);
      const cut = chunk.lastIndexOf(10) + 1;
      if (cut > 0) ctx.stdout(chunk.toString("utf8", 0, cut));
      carry = Buffer.from(chunk.subarray(cut));
    }
    if (carry.length > 0) ctx.stdout(carry.toString("utf8"));
  } finally {
    closeSync(fd);
  }
}

/** `functrace render <recording> --format tree|chrome|zipkin|otlp-json [filters]`: a binary recording (FUNCTRACE=record) as text. */
export const renderCommand: CliCommand = {
  name: "render",
  register(program, ctx) {
    program
      .command("render")
      .description("render a binary recording (FUNCTRACE=record, *.ftrec): the tree the live printer prints, a Chrome/Perfetto trace, Zipkin or OTLP JSON")
      .argument("<recording>", "a .ftrec file")
      .option("--format <format>", `output format: ${FORMATS.join(", ")}`, "tree")
      .option("-o, --output <file>", "write to a file instead of standard output")
      .option("--flow <ids>", "only these flows (3, g[03]; comma-separated or repeated)", collect)
      .option("--function <patterns>", "only the flows (call chains) with a call matching one of these names (* and ? wildcards)", collect)
      .option("--request <texts>", "only the flows of requests whose 'METHOD /path' contains this, or whose trace id starts with it", collect)
      .option("--from <ms>", "only spans that end at or after this time (ms since the recorded process started: Chrome ts / 1000)")
      .option("--to <ms>", "only spans that start at or before this time (ms)")
      .option("--durations", "tree: durations on <- lines (as FUNCTRACE_DURATIONS)")
      .option("--timestamps", "tree: wall-clock time on every line (as FUNCTRACE_TIMESTAMPS)")
      .option("--color", "tree: colour the flow ids")
      .option("--service <name>", "zipkin, otlp-json: the service name (default OTEL_SERVICE_NAME, else as the exporters)")
      .action(async (file: string, o: RenderOptions) => {
        if (!(FORMATS as readonly string[]).includes(o.format)) throw new UsageError(`--format: expected one of ${FORMATS.join(", ")}, got '${o.format}'`);
        const filter = filterFromOptions(o);
        let recording: Recording;
        try {
          recording = readRecordingFile(file);
        } catch (error) {
          if (error instanceof RecordingError || (error as NodeJS.ErrnoException).code !== undefined) {
            ctx.stderr(`functrace: ${file}: ${(error as Error).message}\n`);
            ctx.code = 1;
            return;
          }
          throw error;
        }
        if (recording.truncated) ctx.stderr(`functrace: ${file}: the last record is cut short (the run was killed while writing): ignored\n`);
        if (o.format === "tree") {
          const tree = { durations: o.durations, timestamps: o.timestamps, color: o.color };
          if (o.output !== undefined) {
            await renderTree(recording, { ...tree, output: o.output }, filter);
          } else {
            const dir = mkdtempSync(join(tmpdir(), "functrace-render-"));
            try {
              const out = join(dir, "tree.txt");
              await renderTree(recording, { ...tree, output: out }, filter);
              pipeFile(out, ctx);
            } finally {
              rmSync(dir, { recursive: true, force: true });
            }
          }
          return;
        }
        const text =
          o.format === "chrome" ? renderChrome(recording, filter) : o.format === "zipkin" ? renderZipkin(recording, filter, o.service) : renderOtlpJson(recording, filter, o.service);
        if (o.output !== undefined) writeFileSync(o.output, text);
        else ctx.stdout(text);
      });
  },
};
