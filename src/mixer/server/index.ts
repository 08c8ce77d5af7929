/** `functrace-mixer serve` as a library: Istio's `istio.mixer.v1.Mixer` gRPC API over the embedded dispatcher. */
export { startMixerServer, DEFAULTS as SERVER_DEFAULTS, type MixerServer } from "./server.js";
export { checkServeOptions, isLoopbackHost, ServeOptionsError, DEFAULT_ADDRESS, DEFAULT_METRICS_ADDRESS, type MixerServerOptions, type ServerTls } from "./options.js";
export { protoDir, mixerPackage, mixerService, healthService, PROTO_FILES, LOADER_OPTIONS } from "./protos.js";
export { ServingStatus } from "./health.js";
