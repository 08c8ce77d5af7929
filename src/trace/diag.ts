/**
 * The tracer's own diagnostics. Tracer failures never reach user code: they are reported here
 * once per kind and swallowed. The default logger writes one line to stderr; `setDiagLogger`
 * replaces it (pass `null` to silence). The delegate call itself is guarded.
 */
export interface DiagLogger {
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
}

const stderrLogger: DiagLogger = {
  warn: (message, error) => writeLine("warning", message, error),
  error: (message, error) => writeLine("error", message, error),
};

function writeLine(level: string, message: string, error: unknown): void {
  const detail =
    error instanceof Error ? `: ${error.message}` : error === undefined ? "" : `: ${String(error)}`;
  process.stderr.write(`functrace ${level}: ${message}${detail}\n`);
}

let logger: DiagLogger | null = stderrLogger;
const reported = new Set<string>();

/** Replaces the diagnostic logger; `null` silences diagnostics. Never throws. */
export function setDiagLogger(next: DiagLogger | null): void {
  logger = next;
}

/** Forgets which problems were already reported (tests use this). */
export function resetDiagReports(): void {
  reported.clear();
}

function emit(level: "warn" | "error", message: string, error: unknown): void {
  if (logger === null) return;
  try {
    logger[level](message, error);
  } catch {
    // A failing logger must not take the program down either.
  }
}

/** Reports a problem once per `key`; later reports with the same key are dropped. */
export function reportOnce(
  key: string,
  message: string,
  error?: unknown,
  level: "warn" | "error" = "error",
): void {
  if (reported.has(key)) return;
  reported.add(key);
  emit(level, message, error);
}

/** Reports an internal tracer failure once per place; the tracer carries on. */
export function internalError(place: string, error: unknown): void {
  reportOnce(`internal:${place}`, `internal error in ${place} (reported once; tracing continues)`, error);
}
