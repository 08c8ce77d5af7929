import { addSink, removeSink, setEnabled } from "./registry.js";
import { applyFilters, getFilters, validateFilters, type FilterOptions } from "./filters.js";
import { TreePrinter, type TreePrinterOptions } from "./sinks/tree-printer.js";
import { envFlag, envNumber, envString, isPrinterOnAtLoad, isRecordingAtLoad, isTrackingAtLoad } from "./env.js";
import { RecordWriter, type RecordOptions } from "./record/record-writer.js";
import { reportOnce } from "./diag.js";
import { setHttpTracing } from "./http/index.js";
import { setExporters } from "./export/export-pipeline.js";
import { parseExporterList, validateExporters, type ExporterSpec } from "./export/exporter-spec.js";
import { validateBatchOptions } from "./export/batch-options.js";
import type { BatchOptions } from "./export/export-channel.js";

/** Run-time configuration. Every field is optional; what is left out stays as it was. */
export interface TraceConfig extends FilterOptions {
  /** Master switch at run time (FUNCTRACE=off at load is stronger: it loads the no-op twin). */
  enabled?: boolean;
  /** The terminal tree printer: true for the defaults, options, or false to stop it. */
  printer?: boolean | TreePrinterOptions;
  /**
   * Where spans go: "zipkin", "otlp", "console", "chrome", "memory", option objects, an
   * application's OpenTelemetry exporter or tracer, or functrace SpanExporters. Replaces the
   * exporters in use (FUNCTRACE_EXPORTER at load); `false` or `[]` stops exporting.
   */
  exporters?: ExporterSpec[] | false;
  /**
   * Incoming HTTP requests start traces of their own and outgoing ones carry the trace on
   * (Node's diagnostics channels; default true, FUNCTRACE_HTTP=off at load).
   */
  http?: boolean;
  /**
   * The binary recorder (FUNCTRACE=record at load): true for the defaults, options, or false to
   * stop it (the file is closed). Render the file afterwards with `functrace render`.
   */
  record?: boolean | RecordOptions;
  /** Queue and batch limits of the exporters (else the OTEL_BSP_* variables, else OpenTelemetry's defaults). */
  batch?: BatchOptions;
}

/** Thrown by `configure()` for invalid options; lists every problem with its field. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`invalid functrace configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

let printer: TreePrinter | null = null;

/**
 * Changes what is traced and where it goes, while the program runs. Code settings win over
 * environment variables (read once at load). Throws ConfigError listing every invalid field;
 * never changes anything when it throws.
 *
 * @example
 * configure({ printer: { output: "trace.log", durations: true }, exclude: ["*.toString"], maxDepth: 8 });
 */
export function configure(config: TraceConfig): void {
  const problems = validateFilters(config);
  if (
    config.printer !== undefined &&
    typeof config.printer !== "boolean" &&
    typeof config.printer !== "object"
  ) {
    problems.push("printer: expected a boolean or printer options");
  }
  if (config.exporters !== undefined && config.exporters !== false)
    problems.push(...validateExporters(config.exporters));
  if (config.batch !== undefined) problems.push(...validateBatchOptions(config.batch));
  if (config.record !== undefined && typeof config.record !== "boolean" && (typeof config.record !== "object" || config.record === null))
    problems.push("record: expected a boolean or recording options");
  if (config.http !== undefined && typeof config.http !== "boolean") problems.push(`http: expected a boolean, got ${typeof config.http}`);
  if (problems.length > 0) throw new ConfigError(problems);
  const { enabled, printer: printerOption, exporters, batch, http, record, ...filters } = config;
  if (http !== undefined) setHttpTracing(http);
  if (Object.keys(filters).length > 0) applyFilters({ ...getFilters(), ...stripUndefined(filters) });
  if (printerOption !== undefined) setPrinter(printerOption);
  if (record !== undefined) setRecorder(record);
  if (batch !== undefined) batchOptions = { ...batchOptions, ...stripUndefined(batch) };
  if (exporters !== undefined)
    applyExporters(exporters === false ? [] : exporters, printerOption === undefined);
  if (enabled !== undefined) setEnabled(enabled);
}

let batchOptions: BatchOptions = {};

/** "console" is the tree printer; the rest go to the export pipeline. */
function applyExporters(exporters: ExporterSpec[], printerFollows: boolean): void {
  if (printerFollows && exporters.includes("console") && printer === null) setPrinter(true);
  setExporters(exporters, batchOptions);
}

function setPrinter(option: boolean | TreePrinterOptions): void {
  if (printer !== null) {
    removeSink(printer);
    printer.shutdown();
    printer = null;
  }
  if (option === false) return;
  printer = new TreePrinter(option === true ? {} : option);
  addSink(printer);
}

let recorder: RecordWriter | null = null;

function setRecorder(option: boolean | RecordOptions): void {
  if (recorder !== null) {
    removeSink(recorder);
    recorder.shutdown();
    recorder = null;
  }
  if (option === false) return;
  recorder = new RecordWriter(option === true ? {} : option);
  addSink(recorder);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Settings from FUNCTRACE_* variables, applied once at load. Bad values are reported, not thrown. */
export function configureFromEnv(): void {
  const http = envString("FUNCTRACE_HTTP")?.toLowerCase();
  if (http !== undefined && ["off", "0", "false", "no"].includes(http)) setHttpTracing(false);
  if (isTrackingAtLoad()) setEnabled(true);
  const filters: FilterOptions = {
    include: list(envString("FUNCTRACE_INCLUDE")),
    exclude: list(envString("FUNCTRACE_EXCLUDE")),
    maxDepth: envNumber("FUNCTRACE_MAX_DEPTH"),
    minDurationMs: envNumber("FUNCTRACE_MIN_DURATION_MS"),
    sampleRatio: envNumber("FUNCTRACE_SAMPLE_RATIO") ?? envNumber("OTEL_TRACES_SAMPLER_ARG"),
  };
  const problems = validateFilters(filters);
  if (problems.length > 0) {
    reportOnce("env-filters", `ignoring invalid FUNCTRACE_* filter settings: ${problems.join("; ")}`);
  } else if (Object.values(filters).some((v) => v !== undefined)) {
    applyFilters(stripUndefined(filters));
  }
  const exporters = envString("FUNCTRACE_EXPORTER");
  if (exporters !== undefined) {
    const specs = parseExporterList(exporters) as ExporterSpec[];
    const wrong = validateExporters(specs);
    if (wrong.length > 0)
      reportOnce("env-exporters", `ignoring invalid FUNCTRACE_EXPORTER: ${wrong.join("; ")}`);
    else applyExporters(specs, !isPrinterOnAtLoad());
  }
  if (isRecordingAtLoad()) setRecorder({});
  if (isPrinterOnAtLoad()) {
    setPrinter({
      output: envString("FUNCTRACE_OUTPUT") ?? "stderr",
      append: envFlag("FUNCTRACE_OUTPUT_APPEND"),
      durations: envFlag("FUNCTRACE_DURATIONS"),
      timestamps: envFlag("FUNCTRACE_TIMESTAMPS"),
      color: colorSetting(),
    });
  }
}

function list(value: string | undefined): string[] | undefined {
  return value
    ?.split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function colorSetting(): boolean | undefined {
  const value = envString("FUNCTRACE_COLOR")?.toLowerCase();
  if (value === undefined || value === "auto") return undefined;
  return value === "always" || value === "on" || value === "1";
}
