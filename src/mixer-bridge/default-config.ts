/**
 * The config the bridge uses when none is given (`FUNCTRACE_EXPORTER=mixer`, or
 * `configure({ exporters: [{ type: "mixer" }] })`): Istio-shaped YAML, printed in full in
 * docs/mixer.md so it can be copied and edited (then pass the folder as `config`).
 *
 * - `functrace_calls_total{function, outcome}`: calls per function, outcome ok|error;
 * - `functrace_call_duration_seconds{function}`: a histogram from 1 µs to 10 s, each bucket
 *   with the trace id of a recent call as its OpenMetrics exemplar;
 * - `http_server_request_duration_seconds{method, status}`: incoming HTTP requests (the
 *   OpenTelemetry HTTP metric, without the path: paths are unbounded);
 * - one JSON line on stderr per failed call, and one per call slower than `slowCallMs`.
 *
 * `function` is `span.bounded_name`: past `maxFunctions` distinct functions the rest share
 * the series `function="__overflow__"` (the bridge counts those calls).
 */

/** Options that shape the default config. */
export interface DefaultConfigOptions {
  /** Where `/metrics` is served (`host:port`; `""` for no HTTP endpoint). Default 127.0.0.1:9464. */
  readonly metricsAddress?: string;
  /** Calls at least this slow (and not failed) get a log line. Default 100 ms. */
  readonly slowCallMs?: number;
}

/** The OpenTelemetry Prometheus exporter's port: one place for a process's metrics. */
export const DEFAULT_METRICS_ADDRESS = "127.0.0.1:9464";
export const DEFAULT_SLOW_CALL_MS = 100;

/** Histogram bounds for function calls, in seconds: 1-5 steps per decade from 1 µs to 10 s. */
export const CALL_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.000001, 0.000005, 0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10,
]);

/** Request bounds (seconds): OpenTelemetry's advice for `http.server.request.duration`. */
const REQUEST_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** The file name config errors name for the default config. */
export const DEFAULT_CONFIG_FILE = "functrace:mixer-bridge/default-config.yaml";

/** The default config as YAML text. */
export function defaultConfigYaml(options: DefaultConfigOptions = {}): string {
  const address = options.metricsAddress ?? DEFAULT_METRICS_ADDRESS;
  const slowMs = options.slowCallMs ?? DEFAULT_SLOW_CALL_MS;
  if (!(Number.isFinite(slowMs) && slowMs >= 0)) throw new Error(`slowCallMs: expected a number >= 0, got ${slowMs}`);
  const slow = Number.isInteger(slowMs) ? `${slowMs}.0` : String(slowMs);
  return `# functrace span bridge: default config (metrics to Prometheus, failed and slow calls to stderr)
apiVersion: config.istio.io/v1alpha2
kind: handler
metadata: {name: prometheus}
spec:
  compiledAdapter: prometheus
  params:
    address: ${JSON.stringify(address)}
    expositionFormat: OPENMETRICS        # needed for exemplars
    metrics:
      - instanceName: functrace-calls.instance.istio-system
        namespace: functrace
        name: calls_total
        kind: COUNTER
        labelNames: [function, outcome]
        description: Calls of traced functions, by function and outcome (ok, error).
      - instanceName: functrace-call-duration.instance.istio-system
        namespace: functrace
        name: call_duration_seconds
        kind: DISTRIBUTION
        labelNames: [function]
        exemplarLabelNames: [trace_id]
        buckets: {explicitBuckets: {bounds: [${CALL_DURATION_BUCKETS.join(", ")}]}}
        description: Duration of traced function calls (async calls until their promise settles).
      - instanceName: functrace-http-requests.instance.istio-system
        namespace: http
        name: server_request_duration_seconds
        kind: DISTRIBUTION
        labelNames: [method, status]
        exemplarLabelNames: [trace_id]
        buckets: {explicitBuckets: {bounds: [${REQUEST_DURATION_BUCKETS.join(", ")}]}}
        description: Duration of incoming HTTP requests.
---
kind: instance
metadata: {name: functrace-calls}
spec:
  compiledTemplate: metric
  params:
    value: "1"
    dimensions:
      function: span.bounded_name
      outcome: conditionalString(span.error, "error", "ok")
---
kind: instance
metadata: {name: functrace-call-duration}
spec:
  compiledTemplate: metric
  params:
    value: span.duration
    dimensions:
      function: span.bounded_name
      trace_id: span.trace_id
---
kind: instance
metadata: {name: functrace-http-requests}
spec:
  compiledTemplate: metric
  params:
    value: span.duration
    dimensions:
      method: request.method
      status: response.code | 0
      trace_id: span.trace_id
---
kind: rule
metadata: {name: functrace-calls}
spec:
  match: context.protocol == "function"
  actions:
    - {handler: prometheus, instances: [functrace-calls, functrace-call-duration]}
---
kind: rule
metadata: {name: functrace-http-requests}
spec:
  match: context.protocol == "http"
  actions:
    - {handler: prometheus, instances: [functrace-http-requests]}
---
kind: handler
metadata: {name: stderr}
spec:
  compiledAdapter: stdio
  params: {logStream: STDERR, outputAsJson: true}
---
kind: instance
metadata: {name: functrace-failed-call}
spec:
  compiledTemplate: logentry
  params:
    severity: '"error"'
    timestamp: span.end_time
    variables:
      message: '"call failed"'
      function: span.name
      error_type: span.error_type | ""
      error_message: span.error_message | ""
      duration: span.duration
      trace_id: span.trace_id
      span_id: span.id
      file: span.file | ""
      line: span.line | 0
---
kind: instance
metadata: {name: functrace-slow-call}
spec:
  compiledTemplate: logentry
  params:
    severity: '"warning"'
    timestamp: span.end_time
    variables:
      message: '"slow call"'
      function: span.name
      duration: span.duration
      trace_id: span.trace_id
      span_id: span.id
      file: span.file | ""
      line: span.line | 0
---
kind: rule
metadata: {name: functrace-failed-calls}
spec:
  match: span.error
  actions:
    - {handler: stderr, instances: [functrace-failed-call]}
---
kind: rule
metadata: {name: functrace-slow-calls}
spec:
  match: span.error == false && span.duration_ms >= ${slow}
  actions:
    - {handler: stderr, instances: [functrace-slow-call]}
`;
}
