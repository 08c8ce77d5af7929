import type { FieldError } from "../../adapter/types.js";
import { isPlainObject, readBool, readEnum, readFields, readInt, readString } from "../../adapter/params.js";

/** Where stdio writes. */
export type LogStream = "STDOUT" | "STDERR" | "FILE" | "ROTATED_FILE";
/** stdio levels, in increasing severity. */
export type Level = "INFO" | "WARNING" | "ERROR";

const STREAMS: readonly LogStream[] = ["STDOUT", "STDERR", "FILE", "ROTATED_FILE"];
const LEVELS: readonly Level[] = ["INFO", "WARNING", "ERROR"];

/** Parsed stdio params (Mixer stdio config.proto). */
export interface StdioConfig {
  readonly logStream: LogStream;
  readonly severityLevels: ReadonlyMap<string, Level>;
  readonly metricLevel: Level;
  readonly outputAsJson: boolean;
  readonly outputLevel: Level;
  readonly outputPath: string;
  readonly maxMegabytesBeforeRotation: number;
  readonly maxDaysBeforeRotation: number;
  readonly maxRotatedFiles: number;
}

/** Mixer's default severity mapping. */
export const DEFAULT_SEVERITY_LEVELS: Readonly<Record<string, Level>> = Object.freeze({
  INFORMATIONAL: "INFO",
  informational: "INFO",
  INFO: "INFO",
  info: "INFO",
  WARNING: "WARNING",
  warning: "WARNING",
  WARN: "WARNING",
  warn: "WARNING",
  ERROR: "ERROR",
  error: "ERROR",
  ERR: "ERROR",
  err: "ERROR",
  FATAL: "ERROR",
  fatal: "ERROR",
});

/** Default params: JSON lines to stdout at INFO; rotation 100 MB / 30 days / 1000 files. */
export const STDIO_DEFAULTS = Object.freeze({
  log_stream: "STDOUT",
  severity_levels: DEFAULT_SEVERITY_LEVELS,
  metric_level: "INFO",
  output_as_json: true,
  output_level: "INFO",
  max_megabytes_before_rotation: 100,
  max_days_before_rotation: 30,
  max_rotated_files: 1000,
});

const FIELDS = [
  "log_stream",
  "severity_levels",
  "metric_level",
  "output_as_json",
  "output_level",
  "output_path",
  "max_megabytes_before_rotation",
  "max_days_before_rotation",
  "max_rotated_files",
];

/** Parses and validates stdio params; every problem goes to `errors`. */
export function parseStdioConfig(raw: unknown, errors: FieldError[]): StdioConfig {
  const p = readFields(raw, "", FIELDS, errors);
  const logStream = readEnum(p.log_stream, STREAMS, "log_stream", errors) ?? "STDOUT";
  const outputPath = readString(p.output_path, "output_path", errors) ?? "";
  const toFile = logStream === "FILE" || logStream === "ROTATED_FILE";
  if (toFile && outputPath === "") errors.push({ field: "output_path", message: `required when log_stream is ${logStream}` });
  if (!toFile && outputPath !== "") errors.push({ field: "output_path", message: `not allowed when log_stream is ${logStream}` });
  const cfg: StdioConfig = {
    logStream,
    severityLevels: readSeverities(p.severity_levels, errors),
    metricLevel: readEnum(p.metric_level, LEVELS, "metric_level", errors) ?? "INFO",
    outputAsJson: readBool(p.output_as_json, "output_as_json", errors) ?? true,
    outputLevel: readEnum(p.output_level, LEVELS, "output_level", errors) ?? "INFO",
    outputPath,
    maxMegabytesBeforeRotation: readPositive(p.max_megabytes_before_rotation, "max_megabytes_before_rotation", 100, errors),
    maxDaysBeforeRotation: readPositive(p.max_days_before_rotation, "max_days_before_rotation", 30, errors),
    maxRotatedFiles: readPositive(p.max_rotated_files, "max_rotated_files", 1000, errors),
  };
  return cfg;
}

function readPositive(v: unknown, field: string, dflt: number, errors: FieldError[]): number {
  const n = readInt(v, field, errors);
  if (n !== undefined && n < 0) errors.push({ field, message: "must be >= 0" });
  return n ?? dflt;
}

function readSeverities(v: unknown, errors: FieldError[]): Map<string, Level> {
  const out = new Map<string, Level>();
  if (v === undefined) return new Map(Object.entries(DEFAULT_SEVERITY_LEVELS));
  if (!isPlainObject(v)) {
    errors.push({ field: "severity_levels", message: "expected a map of severity name to INFO, WARNING or ERROR" });
    return out;
  }
  for (const [k, lv] of Object.entries(v)) {
    const level = readEnum(lv, LEVELS, `severity_levels[${k}]`, errors);
    if (level) out.set(k, level);
  }
  return out;
}

/** Numeric rank of a level (INFO 0 < WARNING 1 < ERROR 2). */
export function levelRank(l: Level): number {
  return LEVELS.indexOf(l);
}
