/**
 * Options of `functrace-mixer serve` and their checks. Safe by default: loopback only; any
 * other address needs a shared-secret token or TLS with client certificates, else the server
 * refuses to start.
 */
import { isIP } from "node:net";
import type { DispatcherOptions, WatchConfig } from "../dispatcher/index.js";
import { parseAddress } from "../adapters/prometheus/config.js";

/** Mixer's own port. */
export const DEFAULT_ADDRESS = "127.0.0.1:9091";
/** The server's own metrics (Istio's monitoring port); `""` for none. */
export const DEFAULT_METRICS_ADDRESS = "127.0.0.1:15014";

/** PEM material for TLS. With `clientCa`, clients must present a certificate it signed. */
export interface ServerTls {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
  readonly clientCa?: string | Buffer;
}

/** What {@link startMixerServer} takes; everything but `config` has a default. */
export interface MixerServerOptions {
  /** Config files or folders (YAML), as `createDispatcher({ config })`. */
  readonly config: string | readonly string[];
  /** `host:port` to listen on (default 127.0.0.1:9091; port 0 picks a free one). */
  readonly address?: string;
  /** Shared secret: every Mixer call must carry `authorization: Bearer <token>`. */
  readonly token?: string;
  readonly tls?: ServerTls;
  /** Reload the config when its files change (default true, Mixer's 1 s debounce). */
  readonly watch?: boolean | WatchConfig;
  /** Largest request accepted, in bytes (default 4 MiB, gRPC's default). */
  readonly maxMessageBytes?: number;
  /** Most words plus map entries decoded per request (default 200,000). */
  readonly maxElements?: number;
  /** Calls per second over all clients; more get RESOURCE_EXHAUSTED (default 20,000; 0: no limit). */
  readonly maxCallsPerSecond?: number;
  /** Calls in progress at once; more get RESOURCE_EXHAUSTED (default 1,024). */
  readonly maxInFlight?: number;
  /** Where the server's own metrics are served (`GET /metrics`); `""` for none. */
  readonly metricsAddress?: string;
  /** Longest wait for calls in flight on shutdown before they are cancelled (ms, default 10,000). */
  readonly shutdownTimeoutMs?: number;
  /** More dispatcher options (adapters, logSink, callTimeoutMs, ...). */
  readonly dispatcherOptions?: DispatcherOptions;
}

/** A refused option (the CLI prints it and exits 2). */
export class ServeOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ServeOptionsError";
  }
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false; // ":9091" listens on every interface
  const h = host.toLowerCase();
  if (h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  return h.startsWith("::ffff:127.");
}

/** Parsed address plus the security decision; throws ServeOptionsError. */
export function checkServeOptions(o: MixerServerOptions): { host: string; port: number; loopback: boolean } {
  const address = o.address ?? DEFAULT_ADDRESS;
  const a = parseAddress(address);
  if (a === undefined) throw new ServeOptionsError(`--address: expected host:port (e.g. 127.0.0.1:9091, [::1]:9091, 0.0.0.0:9091), got ${JSON.stringify(address)}`);
  const loopback = isLoopbackHost(a.host);
  if (o.token !== undefined && (typeof o.token !== "string" || o.token.length < 16)) throw new ServeOptionsError("token: expected a string of at least 16 characters");
  if (o.tls !== undefined && (!o.tls.cert || !o.tls.key)) throw new ServeOptionsError("tls: both a certificate and a key are needed");
  if (!loopback && o.token === undefined && o.tls?.clientCa === undefined) {
    throw new ServeOptionsError(
      `refusing to listen on ${address} (not a loopback address) without authentication: give a token (FUNCTRACE_MIXER_TOKEN or --token-file) or TLS with client certificates (--tls-cert, --tls-key, --tls-client-ca)`,
    );
  }
  for (const [key, v, zero] of [
    ["maxMessageBytes", o.maxMessageBytes, false],
    ["maxElements", o.maxElements, false],
    ["maxCallsPerSecond", o.maxCallsPerSecond, true],
    ["maxInFlight", o.maxInFlight, false],
    ["shutdownTimeoutMs", o.shutdownTimeoutMs, true],
  ] as const) {
    if (v !== undefined && !(Number.isInteger(v) && (zero ? v >= 0 : v > 0))) throw new ServeOptionsError(`${key}: expected an integer ${zero ? ">= 0" : "> 0"}, got ${JSON.stringify(v)}`);
  }
  if (o.metricsAddress !== undefined && o.metricsAddress !== "" && parseAddress(o.metricsAddress) === undefined) {
    throw new ServeOptionsError(`--metrics-address: expected host:port or "", got ${JSON.stringify(o.metricsAddress)}`);
  }
  return { host: a.host ?? "0.0.0.0", port: a.port, loopback };
}
