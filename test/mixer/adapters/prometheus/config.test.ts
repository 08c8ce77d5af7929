import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDispatcher } from "../../../../src/mixer/dispatcher/index";
import { prometheusAdapter } from "../../../../src/mixer/adapters/index";
import { BUILTIN_ADAPTERS } from "../../../../src/mixer/adapters/builtin";

const validate = (params: unknown) =>
  prometheusAdapter
    .newBuilder()
    .validate({ params: { ...(prometheusAdapter.defaultConfig as object), ...(params as object) }, types: new Map() })
    .map((e) => `${e.field}: ${e.message}`);

const metric = (extra: Record<string, unknown> = {}) => ({ instance_name: "m.instance.istio-system", kind: "COUNTER", ...extra });

describe("prometheus config", () => {
  it("should be registered as a built-in adapter for the metric template", () => {
    expect(BUILTIN_ADAPTERS).toContain(prometheusAdapter);
    expect(prometheusAdapter.supportedTemplates).toEqual(["metric"]);
    expect(validate({ metrics: [metric({ label_names: ["a"] })], metricsExpirationPolicy: { metricsExpiryDuration: "10m" } })).toEqual([]);
  });

  it.each([
    [{ metrics: [metric({ kind: "UNSPECIFIED" })] }, "metrics[0].kind: unknown metric kind (UNSPECIFIED); could not register metric (use GAUGE, COUNTER or DISTRIBUTION)"],
    [{ metrics: [{ kind: "GAUGE" }] }, "metrics[0].instance_name: required (the FQN of the metric instance, e.g. requestcount.instance.istio-system)"],
    [{ metrics: [metric({ kind: "SUMMARY" })] }, 'metrics[0].kind: expected one of UNSPECIFIED, GAUGE, COUNTER, DISTRIBUTION, got string "SUMMARY"'],
    [{ metrics: [metric({ name: "bad€name" })] }, "metrics[0].name: 'istio_bad€name' is not a valid Prometheus metric name (must match ^[a-zA-Z_:][a-zA-Z0-9_:]*$ after sanitising)"],
    [{ metrics: [metric({ label_names: ["a", "a"] })] }, "metrics[0].label_names[1]: duplicate label name 'a'"],
    [{ metrics: [metric({ kind: "DISTRIBUTION", label_names: ["le"] })] }, "metrics[0].label_names[0]: 'le' is reserved for histogram buckets"],
    [{ metrics: [metric(), metric({ name: "other" })] }, "metrics[1].instance_name: instance 'm.instance.istio-system' is already exported by metrics[0]"],
    [{ metrics: [metric({ name: "x" }), metric({ instance_name: "n.instance.istio-system", name: "x" })] }, "metrics[1].name: metric name 'istio_x' is already used by metrics[0]"],
    [{ metrics: [metric({ labels: ["a"] })] }, "metrics[0].labels: unknown field (allowed: namespace, name, instance_name, description, kind, buckets, label_names, exemplar_label_names)"],
    [{ metrics: [metric({ exemplar_label_names: ["trace_id"] })] }, "metrics[0].exemplar_label_names: exemplars are only exposed in the OpenMetrics format: set exposition_format: OPENMETRICS"],
    [{ exposition_format: "OPENMETRICS", metrics: [metric({ kind: "GAUGE", exemplar_label_names: ["t"] })] }, "metrics[0].exemplar_label_names: exemplars are only supported on COUNTER and DISTRIBUTION metrics"],
    [{ exposition_format: "OPENMETRICS", metrics: [metric({ label_names: ["t"], exemplar_label_names: ["t"] })] }, "metrics[0].exemplar_label_names: 't' is also in label_names: a dimension is either a label or an exemplar label"],
    [{ metrics_expiration_policy: { expiry_check_interval_duration: "1m" } }, "metrics_expiration_policy.metrics_expiry_duration: metricsExpiryDuration 0s is invalid, must be > 0"],
    [{ metrics_expiration_policy: { metrics_expiry_duration: "ten minutes" } }, 'metrics_expiration_policy.metrics_expiry_duration: expected a duration such as "5s" or "100ms", got string "ten minutes"'],
    [{ address: "localhost" }, 'address: expected host:port (e.g. "127.0.0.1:9464", "[::1]:9464", ":9464"; "" for no HTTP endpoint), got "localhost"'],
    [{ address: "127.0.0.1:70000" }, 'address: expected host:port (e.g. "127.0.0.1:9464", "[::1]:9464", ":9464"; "" for no HTTP endpoint), got "127.0.0.1:70000"'],
    [{ metrics: { a: 1 } }, "metrics: expected a list"],
  ])("should reject %j", (params, want) => {
    expect(validate(params)).toEqual([want]);
  });

  describe("through the dispatcher", () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "ft-prom-cfg-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("should name the file, document, resource and field of each problem, and check routed instances", async () => {
      const file = join(dir, "prom.yaml");
      writeFileSync(
        file,
        `kind: instance
metadata: {name: calls}
spec:
  compiledTemplate: metric
  params:
    value: span.error
    dimensions: {fn: span.name, module: destination.service.name}
---
kind: handler
metadata: {name: prom}
spec:
  compiledAdapter: prometheus
  params:
    address: ""
    metrics:
      - instanceName: calls.instance.istio-system
        kind: COUNTER
        labelNames: [fn, extra]
      - instanceName: other.instance.istio-system
        kind: DISTRIBUTION
        buckets: {linearBuckets: {numFiniteBuckets: 0, width: 1}}
---
kind: rule
metadata: {name: r}
spec:
  actions: [{handler: prom, instances: [calls]}]
`,
      );
      const d = await createDispatcher({ config: file });
      try {
        const errs = d.snapshot.errors.map(String);
        const where = `${file}#2`;
        expect(errs).toHaveLength(4); // the three below and the rule left without a valid action
        expect(errs).toEqual(
          expect.arrayContaining([
            expect.stringMatching(new RegExp(`^${where}:\\d+ handler='prom.handler.istio-system'\\.params\\.metrics\\[1\\]\\.buckets\\.linear_buckets\\.num_finite_buckets: must be > 0, got 0$`)),
            expect.stringMatching(new RegExp(`^${where}:\\d+ handler='prom.handler.istio-system'\\.params\\.metrics\\[0\\]\\.instance_name: instance 'calls.instance.istio-system' has a value of type BOOL: could not extract numeric value`)),
            expect.stringMatching(new RegExp(`^${where}:\\d+ handler='prom.handler.istio-system'\\.params\\.metrics\\[0\\]\\.label_names: label_names must match the dimensions of instance 'calls.instance.istio-system': no dimension for label\\(s\\) extra; dimension\\(s\\) module not in label_names$`)),
          ]),
        );
      } finally {
        await d.close();
      }
    });
  });
});
