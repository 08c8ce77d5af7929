import { Dispatcher, type ConfigUpdate } from "../mixer/dispatcher/index.js";
import type { LogSink } from "../mixer/adapter/logger.js";
import { parseConfigText } from "../mixer/config/source.js";
import { formatErrors } from "../mixer/config/validate.js";
import { reportOnce } from "../trace/diag.js";
import type { ExporterContext } from "../trace/export/exporter-types.js";
import { resourceTags } from "../trace/export/zipkin/resource-tags.js";
import { BoundedNames, OVERFLOW_NAME } from "./bounded-names.js";
import { DEFAULT_CONFIG_FILE, defaultConfigYaml } from "./default-config.js";
import { MixerSpanExporter } from "./mixer-exporter.js";
import { validateMixerOptions, withEnv, type MixerExporterOptions } from "./options.js";
import { RemoteMixerExporter } from "./remote/remote-exporter.js";

/** Default bound on each handler call. */
const CALL_TIMEOUT_MS = 5000;
/** Distinct dispatcher log lines passed on to functrace's diagnostics (then silence). */
const MAX_LOG_LINES = 100;

/**
 * Creates the `mixer` exporter: a dispatcher loaded with the config (files, resource objects,
 * or the shipped default config), or the dispatcher given. Config problems are reported once
 * through functrace's diagnostics and the valid rest is used (unless `strict`). Rejects on
 * invalid options, or a `strict` config with errors.
 */
export async function createMixerExporter(options: MixerExporterOptions = {}, context?: ExporterContext): Promise<MixerSpanExporter | RemoteMixerExporter> {
  const o = withEnv(options);
  const problems = validateMixerOptions(o as Readonly<Record<string, unknown>>);
  if (problems.length > 0) throw new Error(`invalid mixer exporter options: ${problems.join("; ")}`);
  const limit = o.maxFunctions!;
  const names = new BoundedNames(limit, (name) =>
    reportOnce(
      "mixer-bridge:overflow",
      `mixer bridge: more than ${limit} distinct functions; "${name}" and later ones share function="${OVERFLOW_NAME}" (option maxFunctions, FUNCTRACE_MIXER_MAX_FUNCTIONS)`,
      undefined,
      "warn",
    ),
  );
  const env = { serviceName: resourceTags(o.serviceName)["service.name"], namespace: o.namespace, names };
  if (o.remote !== undefined) return new RemoteMixerExporter(o.remote, { token: o.token, callTimeoutMs: Math.min(o.callTimeoutMs ?? CALL_TIMEOUT_MS, context?.exportTimeoutMillis ?? Infinity) }, env);
  if (o.dispatcher !== undefined) return new MixerSpanExporter(o.dispatcher, env, false);
  const callTimeoutMs = Math.min(o.callTimeoutMs ?? CALL_TIMEOUT_MS, context?.exportTimeoutMillis ?? Infinity);
  const dispatcher = new Dispatcher({ logSink: diagSink(), callTimeoutMs, strict: o.strict, ...o.dispatcherOptions });
  let update: ConfigUpdate;
  try {
    if (o.resources !== undefined) update = await dispatcher.applyResources(o.resources, "<mixer exporter resources>");
    else if (o.config !== undefined) update = await dispatcher.loadFiles(o.config);
    else update = await dispatcher.applySource(parseConfigText(defaultConfigYaml(o), DEFAULT_CONFIG_FILE));
  } catch (error) {
    await dispatcher.close();
    throw error;
  }
  const errors = [...formatErrors(update.errors), ...update.buildErrors.map((e) => e.message)];
  if (errors.length > 0) reportOnce(`mixer-bridge:config:${errors.join("\n")}`, `mixer bridge config problems (the valid rest is in use): ${errors.join("; ")}`, undefined, "warn");
  return new MixerSpanExporter(dispatcher, env, true);
}

/** The entry point the runtime's exporter registry loads (`type: "mixer"`). */
export function createExporter(options: Readonly<Record<string, unknown>>, context: ExporterContext): Promise<MixerSpanExporter | RemoteMixerExporter> {
  return createMixerExporter(options as MixerExporterOptions, context);
}

/** Dispatcher and adapter warnings and errors, to functrace's diagnostics, each once. */
function diagSink(): LogSink {
  let lines = 0;
  return (level, scope, msg) => {
    if ((level !== "warn" && level !== "error") || lines >= MAX_LOG_LINES) return;
    lines++;
    reportOnce(`mixer-bridge:log:${scope}:${msg}`, `mixer ${scope}: ${msg}`, undefined, level);
  };
}
