/** Adapter-facing logger (Mixer adapter.Logger) with printf-free methods. */
export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  /** Logs and returns an Error with the same message, for `throw logger.error(...)`. */
  error(msg: string): Error;
}

/** Destination of log records: one function for all levels. */
export type LogSink = (level: "debug" | "info" | "warn" | "error", scope: string, msg: string) => void;

/** A sink that drops everything (the default: the core never prints on its own). */
export const NOOP_LOG_SINK: LogSink = () => undefined;

/** A sink writing `level scope: msg` lines to stderr. */
export const STDERR_LOG_SINK: LogSink = (level, scope, msg) => {
  process.stderr.write(`${level} ${scope}: ${msg}\n`);
};

/**
 * Bridges an adapter logger onto a sink, prefixing every record with `scope`
 * (the handler FQN). A throwing sink is ignored: logging must never fail a dispatch.
 */
export function createLogger(sink: LogSink, scope: string): Logger {
  const emit = (level: "debug" | "info" | "warn" | "error", msg: string): void => {
    try {
      sink(level, scope, msg);
    } catch {
      // a broken log sink must not break the adapter
    }
  };
  return {
    debug: (m) => emit("debug", m),
    info: (m) => emit("info", m),
    warn: (m) => emit("warn", m),
    error: (m) => {
      emit("error", m);
      return new Error(m);
    },
  };
}
