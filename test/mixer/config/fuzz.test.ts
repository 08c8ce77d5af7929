import fc from "fast-check";
import { buildSnapshot, ConfigError, parseConfigText, sourceFromObjects } from "../../../src/mixer/index.js";

/** Every input ends in a snapshot (with located ConfigErrors) within a time bound; nothing throws. */
const bounded = (f: () => { errors: readonly unknown[] }): boolean => {
  const t = performance.now();
  const r = f();
  for (const e of r.errors) {
    if (!(e instanceof ConfigError)) return false;
    if (e.toString().length > 5000) return false;
  }
  return performance.now() - t < 1000;
};

const expr = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("span.name", 'span.name == "a"', "(((", "a | b |", '"(a+)+$".matches(span.name)', "span.error && span.error", '"\\\\1".matches(span.name)'),
);
const scalar = fc.oneof(expr, fc.integer(), fc.boolean(), fc.constant(null));
const spec = fc.dictionary(
  fc.constantFrom("match", "actions", "sampling", "compiledAdapter", "compiledTemplate", "params", "attributes", "requestHeaderOperations", "responseHeaderOperations", "x"),
  fc.oneof(scalar, fc.array(fc.dictionary(fc.constantFrom("handler", "instances", "name", "values", "operation"), fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), { maxKeys: 4 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 4 })),
  { maxKeys: 5 },
);
const resource = fc.record({
  kind: fc.oneof(fc.constantFrom("rule", "handler", "instance", "attributemanifest", "stdio", "metric", "denier"), fc.string({ maxLength: 6 })),
  metadata: fc.record({ name: fc.oneof(fc.constantFrom("a", "b", "c"), fc.string({ maxLength: 6 })), namespace: fc.constantFrom(undefined, "ns", "istio-system") }, { requiredKeys: [] }),
  spec,
}, { requiredKeys: [] });

describe("fuzz: the config loader ends every input in a snapshot with located errors", () => {
  test("resource objects", () => {
    fc.assert(fc.property(fc.array(fc.oneof(resource, fc.anything({ withNullPrototype: true, maxDepth: 3 })), { maxLength: 6 }), (rs) => bounded(() => buildSnapshot(sourceFromObjects(rs)))), { numRuns: 400, seed: 7 });
  });

  test("YAML text (random, and random edits of valid YAML)", () => {
    const valid = "kind: rule\nmetadata: {name: r}\nspec:\n  match: span.name == \"a\"\n  actions: [{handler: h, instances: [i]}]\n---\nkind: handler\nmetadata: {name: h}\nspec: {compiledAdapter: denier}\n---\nkind: instance\nmetadata: {name: i}\nspec: {compiledTemplate: checknothing}\n";
    const edited = fc.tuple(fc.nat(valid.length), fc.nat(20), fc.string({ maxLength: 20, unit: fc.constantFrom("&", "*", "a", ":", "[", "]", "{", "}", "\n", " ", "-", "!", "'", '"', "|", ">") })).map(([at, del, ins]) => valid.slice(0, at) + ins + valid.slice(at + del));
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), edited), (text) => bounded(() => buildSnapshot(parseConfigText(text, "f.yaml")))), { numRuns: 400, seed: 8 });
  });
});
