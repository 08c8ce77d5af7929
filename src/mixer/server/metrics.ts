/**
 * The server's own metrics (prom-client, a registry of its own), served on `GET /metrics` by
 * the same exposition server the prometheus adapter uses: an address shared with a
 * prometheus handler of the config serves both texts.
 */
import { Counter, Gauge, Histogram, Registry, type RegistryContentType } from "prom-client";
import { attachExposition, type ExpositionLease } from "../adapters/prometheus/server.js";
import type { DispatchStats } from "../dispatcher/index.js";

const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ServerMetrics {
  readonly registry = new Registry<RegistryContentType>();
  readonly requests: Counter<"method" | "code">;
  readonly latency: Histogram<"method">;
  readonly attributeSets: Counter<"method">;
  readonly attributeSetErrors: Counter<"method">;
  private _lease: ExpositionLease | undefined;

  constructor(inFlight: () => number, stats: () => DispatchStats) {
    const registers = [this.registry];
    this.requests = new Counter({ name: "functrace_mixer_server_requests_total", help: "gRPC calls handled, by method and status code name.", labelNames: ["method", "code"], registers });
    this.latency = new Histogram({ name: "functrace_mixer_server_request_duration_seconds", help: "Time to answer a call, by method.", labelNames: ["method"], buckets: LATENCY_BUCKETS, registers });
    this.attributeSets = new Counter({ name: "functrace_mixer_server_attribute_sets_total", help: "Attribute sets received (one per Check, one per Report set).", labelNames: ["method"], registers });
    this.attributeSetErrors = new Counter({ name: "functrace_mixer_server_attribute_set_errors_total", help: "Attribute sets refused as malformed.", labelNames: ["method"], registers });
    new Gauge({
      name: "functrace_mixer_server_in_flight",
      help: "Calls in progress (the server's queue depth).",
      registers,
      collect() {
        this.set(inFlight());
      },
    });
    const dispatch = new Gauge({
      name: "functrace_mixer_server_dispatch",
      help: "Dispatcher counters: dispatches, dispatch_errors, build_errors, match_errors, dropped.",
      labelNames: ["counter"],
      registers,
      collect() {
        const s = stats();
        dispatch.set({ counter: "dispatches" }, s.dispatches);
        dispatch.set({ counter: "dispatch_errors" }, s.dispatchErrors);
        dispatch.set({ counter: "build_errors" }, s.buildErrors);
        dispatch.set({ counter: "match_errors" }, s.matchErrors);
        dispatch.set({ counter: "dropped" }, s.dropped);
      },
    });
  }

  /** Serves `/metrics` on `address`; resolves with the bound address. */
  async serve(address: string): Promise<string> {
    const render = (): Promise<string> => this.registry.metrics();
    try {
      this.registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
      this._lease = await attachExposition(address, { name: "functrace-mixer-server", contentType: this.registry.contentType, render });
    } catch (e) {
      // The address serves a handler in the Prometheus text format: use that one.
      if (!/exposition_format/.test((e as Error).message)) throw e;
      this.registry.setContentType(Registry.PROMETHEUS_CONTENT_TYPE);
      this._lease = await attachExposition(address, { name: "functrace-mixer-server", contentType: this.registry.contentType, render });
    }
    return this._lease.address;
  }

  async close(): Promise<void> {
    await this._lease?.release();
    this._lease = undefined;
  }
}
