/*
 * SIGINT, SIGTERM and SIGHUP end a program without its `exit` handlers: whatever the printer and
 * the exporters still buffer would be lost. On one of them, everything is flushed (within the
 * exit timeout), then, unless the program listens to that signal itself, the signal is raised
 * again with our listener gone, so the process ends exactly as it would have (killed by the
 * signal, with its exit status). A second signal while flushing ends it at once.
 */
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Flushes everything within the exit timeout. */
type Flush = () => Promise<void>;

const listeners = new Map<NodeJS.Signals, () => void>();
let flushing = false;

function reraise(signal: NodeJS.Signals): void {
  uninstall();
  process.kill(process.pid, signal);
}

function uninstall(): void {
  for (const [signal, listener] of listeners) process.removeListener(signal, listener);
  listeners.clear();
}

/** Installs the listeners once (Windows has no SIGHUP listener to add: skipped there). */
export function installSignalFlush(flush: Flush): void {
  if (listeners.size !== 0 || process.env.FUNCTRACE_SIGNALS === "off") return;
  for (const signal of SIGNALS) {
    if (signal === "SIGHUP" && process.platform === "win32") continue;
    const listener = (): void => {
      const theirs = process.listenerCount(signal) > 1;
      if (flushing) {
        if (!theirs) reraise(signal);
        return;
      }
      flushing = true;
      void flush().finally(() => {
        flushing = false;
        if (!theirs && process.listenerCount(signal) <= 1) reraise(signal);
      });
    };
    listeners.set(signal, listener);
    process.on(signal, listener);
  }
}
