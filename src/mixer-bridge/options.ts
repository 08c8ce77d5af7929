import type { Dispatcher, DispatcherOptions } from "../mixer/dispatcher/index.js";
import { DEFAULT_MAX_FUNCTIONS } from "./bounded-names.js";

/** Options of the `mixer` exporter (`{ type: "mixer", ...options }`); env variables fill what is left out. */
export interface MixerExporterOptions {
  /** Config files/folders (YAML). Default FUNCTRACE_MIXER_CONFIG (comma-separated), else the shipped default config. */
  readonly config?: string | readonly string[];
  /** In-process resource objects (the YAML documents' shape) instead of files. */
  readonly resources?: readonly unknown[];
  /** Use this dispatcher as it is (config and adapters are its own; it is not closed on shutdown). */
  readonly dispatcher?: Dispatcher;
  /** Default config only: where `/metrics` is served. FUNCTRACE_MIXER_METRICS_ADDRESS, else 127.0.0.1:9464. */
  readonly metricsAddress?: string;
  /** Default config only: the slow-call log threshold. FUNCTRACE_MIXER_SLOW_MS, else 100. */
  readonly slowCallMs?: number;
  /** Distinct functions that get a `span.bounded_name` of their own. FUNCTRACE_MIXER_MAX_FUNCTIONS, else 1000. */
  readonly maxFunctions?: number;
  /** `destination.service.name`. Default OTEL_SERVICE_NAME, else service.name of OTEL_RESOURCE_ATTRIBUTES, else unknown_service:node. */
  readonly serviceName?: string;
  /** A fixed `destination.namespace`; default: the module of each span's name. */
  readonly namespace?: string;
  /** Bound on each handler call (ms). Default 5000, at most the pipeline's export timeout. */
  readonly callTimeoutMs?: number;
  /** Refuse a config with any error (the exporter is then not created) instead of best effort. */
  readonly strict?: boolean;
  /** More dispatcher options (adapters, logSink, sampling sources, buffer limits). */
  readonly dispatcherOptions?: DispatcherOptions;
  /** Remote mode: report to a `functrace-mixer serve` at `host:port` instead of an embedded dispatcher. FUNCTRACE_MIXER_REMOTE. */
  readonly remote?: string;
  /** Remote mode: the server's shared secret (sent as `authorization: Bearer …`). FUNCTRACE_MIXER_TOKEN. */
  readonly token?: string;
}

const FIELDS = new Set(["type", "config", "resources", "dispatcher", "metricsAddress", "slowCallMs", "maxFunctions", "serviceName", "namespace", "callTimeoutMs", "strict", "dispatcherOptions", "remote", "token"]);

/** One message per problem, naming the field. */
export function validateMixerOptions(o: Readonly<Record<string, unknown>>, where = "mixer"): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(o)) if (!FIELDS.has(key)) problems.push(`${where}.${key}: unknown option (expected one of ${[...FIELDS].slice(1).join(", ")})`);
  const c = o.config;
  if (c !== undefined && typeof c !== "string" && !(Array.isArray(c) && c.every((p) => typeof p === "string"))) problems.push(`${where}.config: expected a path or a list of paths`);
  if (o.resources !== undefined && !Array.isArray(o.resources)) problems.push(`${where}.resources: expected a list of resource objects`);
  if ([o.config, o.resources, o.dispatcher].filter((x) => x !== undefined).length > 1) problems.push(`${where}: give one of config, resources or dispatcher`);
  if (o.remote !== undefined && [o.config, o.resources, o.dispatcher].some((x) => x !== undefined)) problems.push(`${where}.remote: the server's config applies; give no config, resources or dispatcher`);
  if (o.remote !== undefined && (typeof o.remote !== "string" || !/^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+):\d{1,5}$/.test(o.remote))) problems.push(`${where}.remote: expected host:port, got ${JSON.stringify(o.remote)}`);
  if (o.token !== undefined && o.remote === undefined) problems.push(`${where}.token: only with remote`);
  for (const key of ["metricsAddress", "serviceName", "namespace", "token"]) if (o[key] !== undefined && typeof o[key] !== "string") problems.push(`${where}.${key}: expected a string`);
  const positive = (key: string, integer: boolean, zero: boolean): void => {
    const v = o[key];
    if (v === undefined) return;
    const ok = typeof v === "number" && Number.isFinite(v) && (zero ? v >= 0 : v > 0) && (!integer || Number.isInteger(v));
    if (!ok) problems.push(`${where}.${key}: expected ${integer ? "an integer" : "a number"} ${zero ? ">= 0" : "> 0"}, got ${JSON.stringify(v)}`);
  };
  positive("slowCallMs", false, true);
  positive("maxFunctions", true, false);
  positive("callTimeoutMs", true, false);
  if (o.strict !== undefined && typeof o.strict !== "boolean") problems.push(`${where}.strict: expected a boolean`);
  return problems;
}

/** Code options first, then the FUNCTRACE_MIXER_* variables (invalid ones are reported by validation). */
export function withEnv(o: MixerExporterOptions, env: NodeJS.ProcessEnv = process.env): MixerExporterOptions {
  const text = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const num = (name: string): number | undefined => {
    const v = text(name);
    return v === undefined ? undefined : Number(v);
  };
  const configEnv = text("FUNCTRACE_MIXER_CONFIG");
  const remote = o.config === undefined && o.resources === undefined && o.dispatcher === undefined ? (o.remote ?? text("FUNCTRACE_MIXER_REMOTE")) : o.remote;
  const fromFiles = remote === undefined && o.config === undefined && o.resources === undefined && o.dispatcher === undefined && configEnv !== undefined;
  return {
    ...o,
    config: fromFiles ? configEnv!.split(",").map((s) => s.trim()).filter((s) => s !== "") : o.config,
    metricsAddress: o.metricsAddress ?? text("FUNCTRACE_MIXER_METRICS_ADDRESS"),
    slowCallMs: o.slowCallMs ?? num("FUNCTRACE_MIXER_SLOW_MS"),
    maxFunctions: o.maxFunctions ?? num("FUNCTRACE_MIXER_MAX_FUNCTIONS") ?? DEFAULT_MAX_FUNCTIONS,
    ...(remote !== undefined ? { remote, token: o.token ?? text("FUNCTRACE_MIXER_TOKEN") } : {}),
  };
}
