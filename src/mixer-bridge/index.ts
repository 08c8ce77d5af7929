/** The span bridge (`functrace/mixer-bridge`): finished calls become Mixer attribute bags, routed by rules to adapters. */
export { createMixerExporter, createExporter } from "./create.js";
export { MixerSpanExporter, type MixerBridgeStats } from "./mixer-exporter.js";
export { validateMixerOptions, type MixerExporterOptions } from "./options.js";
export { defaultConfigYaml, CALL_DURATION_BUCKETS, DEFAULT_METRICS_ADDRESS, DEFAULT_SLOW_CALL_MS, DEFAULT_CONFIG_FILE, type DefaultConfigOptions } from "./default-config.js";
export { SPAN_VOCABULARY, SPAN_ATTRIBUTES, type SpanAttribute } from "./vocabulary.js";
export { SpanBag, type SpanBagEnv } from "./span-bag.js";
export { BoundedNames, OVERFLOW_NAME, DEFAULT_MAX_FUNCTIONS } from "./bounded-names.js";
