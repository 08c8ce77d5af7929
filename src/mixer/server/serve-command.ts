/**
 * `functrace-mixer serve`: starts the server, prints where it listens, and runs until SIGTERM
 * or SIGINT, then shuts down gracefully (calls in flight finish, adapters flush) and returns.
 */
import { readFileSync } from "node:fs";
import { STDERR_LOG_SINK, type LogSink } from "../adapter/logger.js";
import { BUILTIN_ADAPTERS } from "../adapters/builtin.js";
import { UsageError } from "../cli/io.js";
import type { CommandResult } from "../cli/commands.js";
import { ServeOptionsError, type MixerServerOptions } from "./options.js";
import { startMixerServer } from "./server.js";

/** The flags of `serve` as commander gives them. */
export interface ServeFlags {
  config: string[];
  address?: string;
  tokenFile?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsClientCa?: string;
  metricsAddress?: string;
  maxMessageBytes?: number;
  maxElements?: number;
  maxCallsPerSecond?: number;
  maxInFlight?: number;
  shutdownTimeout?: number;
  watch?: boolean;
  verbose?: boolean;
}

function readFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`${what}: cannot read ${path}: ${(e as Error).message}`);
  }
}

/** Server options from flags and FUNCTRACE_MIXER_TOKEN (the token never goes on a command line). */
export function serveOptions(f: ServeFlags, env: NodeJS.ProcessEnv = process.env, logSink: LogSink = STDERR_LOG_SINK): MixerServerOptions {
  const fromEnv = env.FUNCTRACE_MIXER_TOKEN?.trim();
  const token = f.tokenFile !== undefined ? readFile(f.tokenFile, "--token-file").toString("utf8").trim() : fromEnv || undefined;
  if ((f.tlsCert === undefined) !== (f.tlsKey === undefined)) throw new UsageError("--tls-cert and --tls-key go together");
  if (f.tlsClientCa !== undefined && f.tlsCert === undefined) throw new UsageError("--tls-client-ca needs --tls-cert and --tls-key");
  const tls = f.tlsCert !== undefined ? { cert: readFile(f.tlsCert, "--tls-cert"), key: readFile(f.tlsKey!, "--tls-key"), ...(f.tlsClientCa ? { clientCa: readFile(f.tlsClientCa, "--tls-client-ca") } : {}) } : undefined;
  const sink: LogSink = (level, scope, msg) => (level === "debug" || (level === "info" && !f.verbose) ? undefined : logSink(level, scope, msg));
  return {
    config: f.config,
    address: f.address,
    token,
    tls,
    watch: f.watch !== false,
    metricsAddress: f.metricsAddress,
    maxMessageBytes: f.maxMessageBytes,
    maxElements: f.maxElements,
    maxCallsPerSecond: f.maxCallsPerSecond,
    maxInFlight: f.maxInFlight,
    shutdownTimeoutMs: f.shutdownTimeout,
    dispatcherOptions: { adapters: BUILTIN_ADAPTERS, logSink: sink },
  };
}

/** Runs the server until a signal; resolves with the exit status. */
export async function serveCommand(f: ServeFlags): Promise<CommandResult> {
  let server;
  try {
    server = await startMixerServer(serveOptions(f));
  } catch (e) {
    if (e instanceof ServeOptionsError) throw new UsageError(e.message);
    throw e;
  }
  const s = server;
  const auth = f.tlsClientCa ? "TLS client certificates" : f.tlsCert ? "TLS" : "";
  const token = s.token ? "token" : "";
  const security = [auth, token].filter(Boolean).join(" + ") || "no authentication (loopback only)";
  process.stdout.write(`functrace-mixer: serving istio.mixer.v1.Mixer on ${s.address} (${security})${s.metricsAddress ? `; metrics on http://${s.metricsAddress}/metrics` : ""}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      process.stderr.write(`functrace-mixer: ${signal}: finishing calls in flight and flushing adapters\n`);
      void s.close().then(resolve, resolve);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
  return { stdout: "functrace-mixer: stopped\n", stderr: "", code: 0 };
}
