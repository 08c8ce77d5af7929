import { Timestamp, formatValue, typeOfValue, ValueType, type Value } from "../../attribute/index.js";
import type { Handler, Instance } from "../../adapter/types.js";
import { levelRank, type Level, type StdioConfig } from "./config.js";
import type { LineWriter } from "./writer.js";

const LEVEL_TEXT: Record<Level, string> = { INFO: "info", WARNING: "warn", ERROR: "error" };

/**
 * Writes logentry and metric instances as zap-style JSON lines (or tab-separated console
 * lines), one `write` per batch. Field order: declared variables/dimensions sorted by name
 * (metrics: `value` first). IP values are always dotted text (Mixer base64-encodes metric IPs).
 */
export class StdioHandler implements Handler {
  private readonly _cfg: StdioConfig;
  private readonly _out: LineWriter;
  private readonly _now: () => number;

  constructor(cfg: StdioConfig, out: LineWriter, now: () => number = Date.now) {
    this._cfg = cfg;
    this._out = out;
    this._now = now;
  }

  handleReport(template: string, instances: readonly Instance[]): void {
    let chunk = "";
    for (const inst of instances) {
      const line = template === "metric" ? this._metricLine(inst) : template === "logentry" ? this._logLine(inst) : undefined;
      if (line !== undefined) chunk += line;
    }
    if (chunk !== "") this._out.write(chunk);
  }

  close(): void {
    this._out.close();
  }

  private _logLine(inst: Instance): string | undefined {
    const severity = typeof inst.severity === "string" ? inst.severity : "";
    const level = this._cfg.severityLevels.get(severity) ?? "INFO";
    if (levelRank(level) < levelRank(this._cfg.outputLevel)) return undefined;
    const ts = inst.timestamp instanceof Timestamp ? inst.timestamp : nowTimestamp(this._now());
    const vars = (inst.variables ?? {}) as Record<string, Value>;
    return this._line(level, ts, inst.name, sortedFields(vars));
  }

  private _metricLine(inst: Instance): string | undefined {
    const level = this._cfg.metricLevel;
    if (levelRank(level) < levelRank(this._cfg.outputLevel)) return undefined;
    const dims = (inst.dimensions ?? {}) as Record<string, Value>;
    const fields: [string, Value][] = [["value", inst.value as Value], ...sortedFields(dims)];
    return this._line(level, nowTimestamp(this._now()), inst.name, fields);
  }

  private _line(level: Level, ts: Timestamp, name: string, fields: [string, Value][]): string {
    const time = formatValue(ts);
    if (this._cfg.outputAsJson) {
      let s = `{"level":"${LEVEL_TEXT[level]}","time":"${time}","instance":${JSON.stringify(name)}`;
      for (const [k, v] of fields) if (v !== undefined) s += `,${JSON.stringify(k)}:${encodeJson(v)}`;
      return `${s}}\n`;
    }
    const body = fields.filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}: ${encodeJson(v)}`);
    return `${time}\t${LEVEL_TEXT[level]}\t${name}\t{${body.join(", ")}}\n`;
  }
}

function nowTimestamp(ms: number): Timestamp {
  return Timestamp.fromEpochNanos(BigInt(Math.round(ms * 1000)) * 1000n);
}

function sortedFields(rec: Record<string, Value>): [string, Value][] {
  return Object.keys(rec)
    .sort()
    .map((k) => [k, rec[k]]);
}

/** zap JSON encoding of one value (see the stdio section of docs/mixer.md). */
export function encodeJson(v: Value): string {
  switch (typeOfValue(v)) {
    case ValueType.INT64:
      return (v as bigint).toString();
    case ValueType.DOUBLE:
      return Number.isFinite(v as number) ? formatValue(v) : JSON.stringify(formatValue(v));
    case ValueType.BOOL:
      return v ? "true" : "false";
    case ValueType.STRING_MAP: {
      const m = (v as unknown as { entries: ReadonlyMap<string, string> }).entries;
      const keys = [...m.keys()].sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(m.get(k))}`).join(",")}}`;
    }
    case ValueType.VALUE_TYPE_UNSPECIFIED:
      return JSON.stringify(String(v));
    default:
      return JSON.stringify(formatValue(v));
  }
}
