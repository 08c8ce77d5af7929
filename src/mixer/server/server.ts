/**
 * `functrace-mixer serve` as a library: the embedded dispatcher behind Istio's gRPC API.
 * Graceful close: health goes NOT_SERVING, new calls are refused, calls in flight finish
 * (bounded by `shutdownTimeoutMs`), then the dispatcher closes its handlers (flushing them)
 * and the metrics endpoint stops.
 */
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { Dispatcher, type ConfigUpdate } from "../dispatcher/index.js";
import { NOOP_LOG_SINK } from "../adapter/logger.js";
import { formatErrors } from "../config/validate.js";
import { CallGuard } from "./guard.js";
import { HealthState, ServingStatus } from "./health.js";
import { ServerMetrics } from "./metrics.js";
import { mixerImplementation } from "./mixer-service.js";
import { checkServeOptions, DEFAULT_METRICS_ADDRESS, type MixerServerOptions } from "./options.js";
import { healthService, mixerService } from "./protos.js";

/** A running server. */
export interface MixerServer {
  /** The bound `host:port` (the real port when 0 was asked for). */
  readonly address: string;
  readonly port: number;
  /** Where `/metrics` is served, or undefined. */
  readonly metricsAddress: string | undefined;
  readonly dispatcher: Dispatcher;
  readonly health: HealthState;
  readonly metrics: ServerMetrics;
  /** Problems of the initial config (the valid rest is live). */
  readonly configProblems: readonly string[];
  /** A token is enforced. */
  readonly token: boolean;
  /** Graceful stop (idempotent). */
  close(): Promise<void>;
}

export const DEFAULTS = Object.freeze({ maxMessageBytes: 4 * 1024 * 1024, maxElements: 200_000, maxCallsPerSecond: 20_000, maxInFlight: 1024, shutdownTimeoutMs: 10_000 });

/** Starts the server. Rejects with ServeOptionsError for refused options, or when the address cannot be bound. */
export async function startMixerServer(opts: MixerServerOptions): Promise<MixerServer> {
  const { host, port } = checkServeOptions(opts);
  const o = { ...DEFAULTS, ...definedOnly(opts) };
  const sink = opts.dispatcherOptions?.logSink ?? NOOP_LOG_SINK;
  const dispatcher = new Dispatcher({ ...opts.dispatcherOptions, watch: opts.watch ?? true });
  let update: ConfigUpdate;
  try {
    update = await dispatcher.loadFiles(opts.config);
  } catch (e) {
    await dispatcher.close();
    throw e;
  }
  const configProblems = [...formatErrors(update.errors), ...update.buildErrors.map((e) => e.message)];
  for (const p of configProblems) sink("warn", "config", p);
  const guard = new CallGuard({ token: opts.token, maxCallsPerSecond: o.maxCallsPerSecond, maxInFlight: o.maxInFlight });
  const metrics = new ServerMetrics(() => guard.inFlight, () => dispatcher.stats);
  const health = new HealthState();
  const server = new Server({
    "grpc.max_receive_message_length": o.maxMessageBytes,
    "grpc.max_send_message_length": 16 * 1024 * 1024,
    "grpc.max_metadata_size": 16 * 1024,
    "grpc.max_concurrent_streams": 256,
  });
  server.addService(mixerService(), mixerImplementation({ dispatcher: () => dispatcher, guard, metrics, maxElements: o.maxElements }));
  server.addService(healthService(), health.implementation());
  const creds = opts.tls
    ? ServerCredentials.createSsl(opts.tls.clientCa ? Buffer.from(opts.tls.clientCa) : null, [{ private_key: Buffer.from(opts.tls.key), cert_chain: Buffer.from(opts.tls.cert) }], opts.tls.clientCa !== undefined)
    : ServerCredentials.createInsecure();
  const hostPart = host.includes(":") ? `[${host}]` : host;
  let bound: number;
  let metricsAddress: string | undefined;
  try {
    bound = await new Promise<number>((resolve, reject) => server.bindAsync(`${hostPart}:${port}`, creds, (e, p) => (e ? reject(e) : resolve(p))));
    const m = opts.metricsAddress ?? DEFAULT_METRICS_ADDRESS;
    if (m !== "") metricsAddress = await metrics.serve(m);
  } catch (e) {
    server.forceShutdown();
    await metrics.close();
    await dispatcher.close();
    throw new Error(`functrace-mixer serve: cannot listen: ${(e as Error).message}`, { cause: e });
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      health.set(ServingStatus.NOT_SERVING, true);
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          sink("warn", "server", `shutdown: calls still in flight after ${o.shutdownTimeoutMs} ms are cancelled`);
          server.forceShutdown();
          resolve();
        }, o.shutdownTimeoutMs);
        server.tryShutdown(() => {
          clearTimeout(t);
          resolve();
        });
      });
      await dispatcher.close();
      await metrics.close();
    })());
  return { address: `${hostPart}:${bound}`, port: bound, metricsAddress, token: opts.token !== undefined, dispatcher, health, metrics, configProblems, close };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
