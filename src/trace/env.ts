/**
 * Environment variables, read once. `FUNCTRACE=off` (or 0/false/no) makes every entry point the
 * no-op twin for the life of the process; `FUNCTRACE=on` turns the tree printer on at load.
 */
const OFF = new Set(["off", "0", "false", "no"]);
const ON = new Set(["on", "1", "true", "yes"]);

function read(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

const mode = (read("FUNCTRACE") ?? "").toLowerCase();

/** True when FUNCTRACE=off was set when functrace loaded. */
export function isDisabledAtLoad(): boolean {
  return OFF.has(mode);
}

/** True when FUNCTRACE=on was set when functrace loaded. */
export function isPrinterOnAtLoad(): boolean {
  return ON.has(mode);
}

/** True when FUNCTRACE=flows: flows and requests are tracked (currentFlow, traceparent) with nothing printed. */
export function isTrackingAtLoad(): boolean {
  return mode === "flows";
}

/** True when FUNCTRACE=record: the binary recorder writes every call to FUNCTRACE_RECORD_FILE (functrace-<pid>.ftrec). */
export function isRecordingAtLoad(): boolean {
  return mode === "record";
}

/** A boolean FUNCTRACE_* flag: on/1/true/yes. */
export function envFlag(name: string): boolean {
  return ON.has((read(name) ?? "").toLowerCase());
}

/** A FUNCTRACE_* string setting, undefined when unset or blank. */
export function envString(name: string): string | undefined {
  return read(name);
}

/** A numeric setting; undefined when unset; NaN is reported by the caller. */
export function envNumber(name: string): number | undefined {
  const value = read(name);
  return value === undefined ? undefined : Number(value);
}
