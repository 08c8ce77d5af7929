import { S } from "../state.js";
import type { Flow } from "../frame.js";
import { internalError } from "../diag.js";
import { loadContextBridge, type ContextBridgeModule } from "./load-otel.js";
import { otelRegistry } from "./otel-registry.js";

/*
 * The native exporters need no OpenTelemetry package, but when the application uses
 * OpenTelemetry, function spans should still nest under (and above) its spans: the context
 * bridge is installed, best effort. Until the application registers something with the
 * OpenTelemetry API (a context manager, a tracer provider: the API's global registry appears),
 * there is no OpenTelemetry context to bridge, so @opentelemetry/api (45 modules, ~4 MB of a
 * process's RSS) is not loaded: a flow-start hook watches for the registry and installs the
 * bridge when it appears.
 */
const otelRegistered = (): boolean => otelRegistry() !== undefined;

let requested = false;

/** Installs the context bridge now if the application uses OpenTelemetry, else once it does. Idempotent. */
export function bridgeWhenOtelIsUsed(): void {
  if (requested) return;
  requested = true;
  if (otelRegistered()) return install();
  const previous = S.onFlowStart;
  let done = false;
  const watch = (flow: Flow): void => {
    if (!done && otelRegistered()) {
      done = true;
      if (S.onFlowStart === watch) {
        // Take the watcher out of the chain; the bridge chains onto what was there before it.
        S.onFlowStart = previous;
        install();
        if (S.onFlowStart !== previous && S.onFlowStart !== null) S.onFlowStart(flow);
        else if (previous !== null) previous(flow);
        return;
      }
      install(); // something chained after the watcher: it stays, as a pass-through
    }
    if (previous !== null) previous(flow);
  };
  S.onFlowStart = watch;
}

function install(): void {
  const run = (bridge: ContextBridgeModule): void => bridge.installContextBridge();
  try {
    const bridge = loadContextBridge();
    if (bridge instanceof Promise) bridge.then(run, () => undefined).catch((error) => internalError("context bridge", error));
    else run(bridge);
  } catch {
    // @opentelemetry/api is not installed: there is no OpenTelemetry context to bridge.
  }
}
