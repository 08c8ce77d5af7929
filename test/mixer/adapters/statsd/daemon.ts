import { spawn, type ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { createServer, connect } from "node:net";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** One flush as written by `file-backend.js`. */
export interface Flush {
  readonly counters: Record<string, number>;
  readonly gauges: Record<string, number>;
  readonly timers: Record<string, number[]>;
  readonly timer_counters: Record<string, number>;
}

/** What the daemon aggregated over all flushes so far: counters summed, timers concatenated, last gauge. */
export interface Aggregated {
  readonly counters: Map<string, number>;
  readonly gauges: Map<string, number>;
  readonly timers: Map<string, number[]>;
  readonly timerCounts: Map<string, number>;
}

/** A real statsd daemon on loopback ports, started for a test and stopped after. */
export class StatsdDaemon {
  readonly port: number;
  readonly mgmtPort: number;
  private readonly _dir: string;
  private readonly _flushFile: string;
  private _child: ChildProcess | undefined;
  private _exited: Promise<void> | undefined;

  private constructor(port: number, mgmtPort: number, dir: string) {
    this.port = port;
    this.mgmtPort = mgmtPort;
    this._dir = dir;
    this._flushFile = join(dir, "flushes.jsonl");
  }

  /** Starts `node node_modules/statsd/stats.js <config>` and waits until its management port answers `health`. */
  static async start(flushIntervalMs = 200): Promise<StatsdDaemon> {
    const dir = mkdtempSync(join(tmpdir(), "ft-statsd-"));
    const d = new StatsdDaemon(await freeUdpPort(), await freeTcpPort(), dir);
    const backend = resolve(__dirname, "file-backend.js");
    const config = {
      port: d.port,
      address: "127.0.0.1",
      mgmt_port: d.mgmtPort,
      mgmt_address: "127.0.0.1",
      backends: [backend],
      flushInterval: flushIntervalMs,
      flushFile: d._flushFile,
    };
    const cfgPath = join(dir, "config.js");
    writeFileSync(cfgPath, `(${JSON.stringify(config)})\n`);
    const stats = resolve(__dirname, "../../../../node_modules/statsd/stats.js");
    // The shim restores util.log, which the daemon needs and Node 23+ no longer has.
    const shim = join(__dirname, "util-log-shim.cjs");
    const child = spawn(process.execPath, ["--require", shim, stats, cfgPath], { stdio: ["ignore", "pipe", "pipe"] });
    d._child = child;
    // No orphan even if the test process dies without running afterAll.
    const reap = (): void => void child.kill("SIGKILL");
    process.once("exit", reap);
    d._exited = new Promise((r) => child.once("exit", () => r()));
    void d._exited.then(() => process.removeListener("exit", reap));
    let output = "";
    child.stdout?.on("data", (b: Buffer) => (output += b.toString()));
    child.stderr?.on("data", (b: Buffer) => (output += b.toString()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`statsd exited early (${child.exitCode}): ${output}`);
      if ((await mgmt(d.mgmtPort, "health").catch(() => "")).includes("health: up")) break;
      if (Date.now() > deadline) {
        await d.stop();
        throw new Error(`statsd did not come up: ${output}`);
      }
      await sleep(50);
    }
    return d;
  }

  /** Sends a management command (`counters`, `gauges`, `timers`, ...) and returns the answer. */
  command(cmd: string): Promise<string> {
    return mgmt(this.mgmtPort, cmd);
  }

  /** Everything flushed so far. */
  aggregated(): Aggregated {
    const a = { counters: new Map<string, number>(), gauges: new Map<string, number>(), timers: new Map<string, number[]>(), timerCounts: new Map<string, number>() };
    if (!existsSync(this._flushFile)) return a;
    for (const line of readFileSync(this._flushFile, "utf8").split("\n")) {
      if (line === "") continue;
      const f = JSON.parse(line) as Flush;
      for (const [k, v] of Object.entries(f.counters)) a.counters.set(k, (a.counters.get(k) ?? 0) + v);
      for (const [k, v] of Object.entries(f.gauges)) a.gauges.set(k, v);
      for (const [k, v] of Object.entries(f.timers)) a.timers.set(k, [...(a.timers.get(k) ?? []), ...v]);
      for (const [k, v] of Object.entries(f.timer_counters)) a.timerCounts.set(k, (a.timerCounts.get(k) ?? 0) + v);
    }
    return a;
  }

  /** Polls the flushes until `ok` holds (or the timeout passes) and returns the last aggregate. */
  async waitFor(ok: (a: Aggregated) => boolean, timeoutMs = 5000): Promise<Aggregated> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const a = this.aggregated();
      if (ok(a) || Date.now() > deadline) return a;
      await sleep(50);
    }
  }

  /** Stops the daemon (SIGTERM, then SIGKILL) and removes its files. Idempotent. */
  async stop(): Promise<void> {
    const child = this._child;
    this._child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 2000)));
      const killed = await Promise.race([this._exited!.then(() => true), late]);
      clearTimeout(timer);
      if (!killed) {
        child.kill("SIGKILL");
        await this._exited;
      }
    }
    rmSync(this._dir, { recursive: true, force: true });
  }
}

/** A UDP port that was free a moment ago (bound to 0 and released). */
export function freeUdpPort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createSocket("udp4");
    s.once("error", rej);
    s.bind(0, "127.0.0.1", () => {
      const port = s.address().port;
      s.close(() => res(port));
    });
  });
}

/** A TCP port that was free a moment ago. */
export function freeTcpPort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      s.close(() => res(port));
    });
  });
}

function mgmt(port: number, cmd: string): Promise<string> {
  return new Promise((res, rej) => {
    const sock = connect(port, "127.0.0.1");
    let out = "";
    const timer = setTimeout(() => {
      sock.destroy();
      rej(new Error("management port timed out"));
    }, 1000);
    sock.on("data", (b) => {
      out += b.toString();
      if (/END\n|health: /.test(out)) {
        clearTimeout(timer);
        sock.end();
        res(out);
      }
    });
    sock.on("error", (e) => {
      clearTimeout(timer);
      rej(e);
    });
    sock.on("connect", () => sock.write(`${cmd}\n`));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
