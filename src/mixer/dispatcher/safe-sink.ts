import type { LogSink } from "../adapter/logger.js";

/**
 * The configured `logSink`, made harmless: a sink that throws is ignored (and never
 * becomes an unhandled rejection of a watch reload or a crash of a close).
 */
export function safeSink(sink: LogSink): LogSink {
  return (level, scope, msg) => {
    try {
      sink(level, scope, msg);
    } catch {
      // logging must never fail the runtime
    }
  };
}
