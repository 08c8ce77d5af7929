import { buildSnapshot, parseConfigText, loadConfigFiles } from "../../../src/mixer/config/index";

const H = `kind: handler
metadata: {name: h}
spec: {compiledAdapter: noop}
---
kind: instance
metadata: {name: m}
spec:
  compiledTemplate: metric
  params: {value: "1"}
`;

function errorsOf(yaml: string): string[] {
  return buildSnapshot(parseConfigText(yaml, "cfg.yaml")).errors.map(String);
}

describe("buildSnapshot", () => {
  describe("validation errors", () => {
    const cases: { name: string; yaml: string; expected: string }[] = [
      { name: "YAML syntax", yaml: "kind: rule\nmetadata: {name: x\n", expected: "cfg.yaml#1:" },
      { name: "missing kind", yaml: "metadata: {name: x}\n", expected: "cfg.yaml#1:1 kind: kind is required" },
      { name: "unknown kind", yaml: "kind: bogus\nmetadata: {name: x}\n", expected: "cfg.yaml#1:1 kind: unknown kind 'bogus'" },
      { name: "missing name", yaml: "kind: rule\nspec: {}\n", expected: "metadata.name is required" },
      { name: "bad name", yaml: "kind: rule\nmetadata: {name: Bad_Name}\n", expected: "cfg.yaml#1:2 metadata.name: invalid metadata.name 'Bad_Name'" },
      { name: "unknown adapter", yaml: "kind: handler\nmetadata: {name: h}\nspec: {compiledAdapter: nope}\n", expected: "cfg.yaml#1:3 handler='h.handler.istio-system'.compiledAdapter: unknown adapter 'nope'" },
      { name: "out-of-process adapter", yaml: "kind: handler\nmetadata: {name: h}\nspec: {adapter: x}\n", expected: "handler='h.handler.istio-system'.adapter: out-of-process adapters are not supported" },
      { name: "unknown template", yaml: "kind: instance\nmetadata: {name: i}\nspec: {compiledTemplate: nope}\n", expected: "instance='i.instance.istio-system'.compiledTemplate: unknown template 'nope'" },
      { name: "unknown attribute in instance", yaml: "kind: instance\nmetadata: {name: i}\nspec:\n  compiledTemplate: metric\n  params:\n    value: request.sizex\n", expected: "cfg.yaml#1:6 instance='i.instance.istio-system'.params.value: unknown attribute request.sizex" },
      { name: "field type mismatch", yaml: "kind: instance\nmetadata: {name: i}\nspec:\n  compiledTemplate: logentry\n  params:\n    severity: request.size\n", expected: "params.severity: instance field type mismatch: expected='STRING', actual='INT64', expression='request.size'" },
      { name: "unknown template field", yaml: "kind: instance\nmetadata: {name: i}\nspec:\n  compiledTemplate: metric\n  params: {valu: '1'}\n", expected: "params.valu: unknown field for template 'metric'" },
      { name: "map entry error", yaml: "kind: instance\nmetadata: {name: i}\nspec:\n  compiledTemplate: metric\n  params:\n    value: '1'\n    dimensions:\n      a: nope.attr\n", expected: "cfg.yaml#1:8 instance='i.instance.istio-system'.params.dimensions.a: unknown attribute nope.attr" },
      { name: "match unknown attribute", yaml: `${H}---\nkind: rule\nmetadata: {name: r}\nspec:\n  match: request.pathx == "/"\n  actions: [{handler: h, instances: [m]}]\n`, expected: "cfg.yaml#3:14 rule='r.rule.istio-system'.match: unknown attribute request.pathx" },
      { name: "match not boolean", yaml: `${H}---\nkind: rule\nmetadata: {name: r}\nspec:\n  match: request.path\n  actions: [{handler: h, instances: [m]}]\n`, expected: "rule='r.rule.istio-system'.match: expression does not return a boolean" },
      { name: "handler not found", yaml: `${H}---\nkind: rule\nmetadata: {name: r}\nspec:\n  actions: [{handler: nope, instances: [m]}]\n`, expected: "rule='r.rule.istio-system'.actions[0].handler: Handler not found: handler='nope'" },
      { name: "instance not found", yaml: `${H}---\nkind: rule\nmetadata: {name: r}\nspec:\n  actions: [{handler: h, instances: [nope]}]\n`, expected: "actions[0].instances[0]: Instance not found: instance='nope'" },
      { name: "duplicate instance", yaml: `${H}---\nkind: rule\nmetadata: {name: r}\nspec:\n  actions: [{handler: h, instances: [m, m.instance.istio-system]}]\n`, expected: "action specified the same instance multiple times: instance='m.instance.istio-system'" },
      { name: "template not supported", yaml: `kind: handler\nmetadata: {name: d}\nspec: {compiledAdapter: denier}\n---\n${H.split("---\n")[1]}---\nkind: rule\nmetadata: {name: r}\nspec:\n  actions: [{handler: d, instances: [m]}]\n`, expected: "instance 'm.instance.istio-system' is of template 'metric' which is not supported by handler 'd.handler.istio-system'" },
      { name: "no valid actions", yaml: `kind: rule\nmetadata: {name: r}\nspec: {actions: []}\n`, expected: "rule='r.rule.istio-system'.actions: No valid actions found in rule" },
      { name: "adapter params", yaml: "kind: handler\nmetadata: {name: s}\nspec:\n  compiledAdapter: stdio\n  params:\n    log_stream: FILE\n", expected: "cfg.yaml#1:6 handler='s.handler.istio-system'.params.output_path: required when log_stream is FILE" },
      { name: "adapter unknown param", yaml: "kind: handler\nmetadata: {name: s}\nspec:\n  compiledAdapter: denier\n  params: {colour: red}\n", expected: "params.colour: unknown field" },
      { name: "memquota missing limit", yaml: `kind: handler\nmetadata: {name: q}\nspec: {compiledAdapter: memquota}\n---\nkind: instance\nmetadata: {name: rq}\nspec: {compiledTemplate: quota}\n---\nkind: rule\nmetadata: {name: r}\nspec:\n  actions: [{handler: q, instances: [rq]}]\n`, expected: "params.quotas: did not find limit defined for quota rq.instance.istio-system" },
      { name: "manifest bad type", yaml: "kind: attributemanifest\nmetadata: {name: a}\nspec:\n  attributes:\n    my.attr: {valueType: STRNG}\n", expected: "cfg.yaml#1:5 attributemanifest='a.attributemanifest.istio-system'.attributes[my.attr].valueType: unknown valueType \"STRNG\"" },
      { name: "manifest type clash", yaml: "kind: attributemanifest\nmetadata: {name: a}\nspec:\n  attributes:\n    request.size: {valueType: STRING}\n", expected: "attribute 'request.size' is STRING here but INT64 in manifest 'istioproxy'" },
      { name: "sampling bad denominator", yaml: `${H}---\nkind: rule\nmetadata: {name: r}\nspec:\n  actions: [{handler: h, instances: [m]}]\n  sampling:\n    random: {percentSampled: {numerator: 1, denominator: MILLION}}\n`, expected: "rule='r.rule.istio-system'.sampling.random.percentSampled.denominator: expected one of HUNDRED, TEN_THOUSAND" },
      { name: "duplicate resource", yaml: `${H}---\nkind: handler\nmetadata: {name: h}\nspec: {compiledAdapter: noop}\n`, expected: "duplicate handler 'h.handler.istio-system' (first defined in cfg.yaml#1)" },
      { name: "a bad header operation", yaml: `${H}---\nkind: rule\nmetadata: {name: r}\nspec:\n  actions: [{handler: h, instances: [m]}]\n  requestHeaderOperations: [{name: x, values: [span.depth]}]\n`, expected: "cfg.yaml#3:15 rule='r.rule.istio-system'.requestHeaderOperations[0].values[0]: header value expression must return a string, got INT64" },
    ];
    it.each(cases)("should report $name", ({ yaml, expected }) => {
      expect(errorsOf(yaml)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
    });
  });

  it("should collect every problem, not stop at the first", () => {
    const yaml = "kind: bogus\nmetadata: {name: a}\n---\nkind: instance\nmetadata: {name: i}\nspec: {compiledTemplate: nope}\n---\nkind: handler\nmetadata: {name: h}\nspec: {compiledAdapter: nope}\n";
    expect(errorsOf(yaml)).toHaveLength(3);
  });

  it("should keep the valid part of a config with errors (best effort)", () => {
    const yaml = `${H}---\nkind: rule\nmetadata: {name: good}\nspec:\n  actions: [{handler: h, instances: [m]}]\n---\nkind: rule\nmetadata: {name: bad}\nspec:\n  match: nope == 1\n  actions: [{handler: h, instances: [m]}]\n`;
    const s = buildSnapshot(parseConfigText(yaml, "cfg.yaml"));
    expect(s.rules.map((r) => r.fqn)).toEqual(["good.rule.istio-system"]);
    expect(s.errors).toHaveLength(1);
  });

  it("should resolve old-style, new-style and legacy references", () => {
    const yaml = [
      "kind: stdio\nmetadata: {name: legacy, namespace: ns1}\nspec: {}",
      "kind: metric\nmetadata: {name: lm, namespace: ns1}\nspec: {value: '1'}",
      "kind: handler\nmetadata: {name: h, namespace: ns2}\nspec: {compiledAdapter: noop}",
      "kind: rule\nmetadata: {name: r, namespace: ns1}\nspec:\n  actions:\n    - {handler: legacy.stdio, instances: [lm.metric]}\n    - {handler: h.ns2, instances: [lm.metric.ns1]}",
    ].join("\n---\n");
    const s = buildSnapshot(parseConfigText(yaml, "cfg.yaml"));
    expect(s.errors.map(String)).toEqual([]);
    expect(s.rules[0].actions.map((a) => [a.handler, a.instances])).toEqual([
      ["legacy.stdio.ns1", ["lm.metric.ns1"]],
      ["h.handler.ns2", ["lm.metric.ns1"]],
    ]);
  });

  it("should accept config manifests and camelCase or snake_case params", () => {
    const yaml = "kind: attributemanifest\nmetadata: {name: a}\nspec:\n  attributes:\n    my.count: {valueType: INT64}\n---\nkind: instance\nmetadata: {name: i}\nspec:\n  compiledTemplate: logentry\n  params:\n    monitoredResourceType: '\"x\"'\n    variables: {c: my.count}\n";
    const s = buildSnapshot(parseConfigText(yaml, "cfg.yaml"));
    expect(s.errors.map(String)).toEqual([]);
    expect(s.instances.get("i.instance.istio-system")?.compiled.types).toMatchObject({ variables: { c: 2 }, monitoredResourceType: 1 });
  });

  it("should load a folder of YAML files in path order", () => {
    const src = loadConfigFiles("test/fixtures/mixer/basic");
    expect(src.errors).toEqual([]);
    expect([...new Set(src.docs.map((d) => d.file))]).toEqual([
      "test/fixtures/mixer/basic/handlers.yaml",
      "test/fixtures/mixer/basic/instances.yaml",
      "test/fixtures/mixer/basic/rules.yaml",
    ]);
    expect(buildSnapshot(src).errors).toEqual([]);
  });

  it("should report a missing path as an error", () => {
    expect(loadConfigFiles("test/fixtures/mixer/nope").errors[0].toString()).toContain("test/fixtures/mixer/nope: cannot read config");
  });
});
