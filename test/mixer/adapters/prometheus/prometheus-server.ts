import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Where CI's `apt-get install -y prometheus` puts the server. */
export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? "/usr/bin/prometheus";

/** A real Prometheus server started for a test; `stop()` kills it (and is safe to call twice). */
export interface RunningPrometheus {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
  /** GET `/api/v1/<path>` and return `data` (throws on a non-success answer). */
  api(path: string, params: Record<string, string>): Promise<unknown>;
}

/**
 * Starts Prometheus on `127.0.0.1:<port>` with `configYaml`, storage in `dir`, and waits until it
 * is ready. The server runs under a small `sh` watchdog that kills it as soon as this test
 * process is gone, so a crashed or killed jest worker leaves no orphan behind.
 */
export async function startPrometheus(dir: string, port: number, configYaml: string, extraArgs: string[] = []): Promise<RunningPrometheus> {
  if (!existsSync(PROMETHEUS_BIN)) throw new Error(`${PROMETHEUS_BIN} not found: install the Prometheus server (Debian/Ubuntu: apt-get install -y prometheus)`);
  const configFile = join(dir, "prometheus.yml");
  writeFileSync(configFile, configYaml);
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--log.level=warn",
    ...extraArgs,
  ];
  const watchdog =
    '"$@" & child=$!; trap \'kill -TERM $child 2>/dev/null; wait $child; exit 0\' TERM INT; ' +
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 0.3; done; kill -KILL $child 2>/dev/null; wait $child`;
  const child: ChildProcess = spawn("/bin/sh", ["-c", watchdog, "sh", PROMETHEUS_BIN, ...args], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr!.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(child.pid!, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL"); // the watchdog's process group: sh and prometheus
      } catch {
        /* already gone */
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}`;
  const api = async (path: string, params: Record<string, string>): Promise<unknown> => {
    const res = await fetch(`${url}/api/v1/${path}?${new URLSearchParams(params)}`);
    const body = (await res.json()) as { status: string; data: unknown; error?: string };
    if (body.status !== "success") throw new Error(`prometheus ${path}: ${body.error ?? res.status}`);
    return body.data;
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${out}`);
    try {
      if ((await fetch(`${url}/-/ready`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready after 20 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, output: () => out, stop, api };
}

/** Polls `check` (every 200 ms) until it returns true or `ms` pass; returns the last result. */
export async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return true;
    } catch {
      /* retry */
    }
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
}
