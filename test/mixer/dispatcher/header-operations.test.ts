import { buildSnapshot, createBag, Dispatcher, BUILTIN_ADAPTERS, sourceFromObjects, StatusCode } from "../../../src/mixer/index";
import { fakeAdapter } from "./fake-adapter";

const denier = (name: string, code: number): unknown => ({ kind: "handler", metadata: { name }, spec: { compiledAdapter: "fake", params: { id: name, code, message: "no", durationMs: 100, useCount: 3 } } });
const nothing = { kind: "instance", metadata: { name: "nothing" }, spec: { compiledTemplate: "checknothing" } };
const rule = (name: string, spec: Record<string, unknown>, namespace?: string): unknown => ({ kind: "rule", metadata: { name, namespace }, spec });

async function dispatcher(resources: unknown[]): Promise<Dispatcher> {
  const d = new Dispatcher({ adapters: [...BUILTIN_ADAPTERS, fakeAdapter], callTimeoutMs: 500 });
  const u = await d.applyResources(resources);
  expect(u.errors.map(String)).toEqual([]);
  return d;
}

describe("header operations (§6.6)", () => {
  test("Check returns them as a route directive; empty values and failed evaluations are skipped", async () => {
    const d = await dispatcher([
      rule("headers", {
        match: 'span.name.startsWith("api.")',
        requestHeaderOperations: [
          { name: "x-fn", values: ["span.name", '"fixed"'] },
          { name: "x-empty", values: ['span.error_message | ""'] },
          { name: "x-missing", values: ["span.file"] },
          { name: "x-old", operation: "REMOVE" },
        ],
        responseHeaderOperations: [{ name: "x-served-by", values: ['"functrace"'], operation: "APPEND" }],
      }),
      rule("other", { match: 'span.name == "nope"', responseHeaderOperations: [{ name: "x-never", values: ['"v"'] }] }),
    ]);
    const r = await d.check(createBag({ "span.name": "api.get" }));
    expect(r.status.code).toBe(StatusCode.OK);
    expect(r.validDurationMs).toBe(60_000);
    expect(r.validUseCount).toBe(10_000);
    expect(r.routeDirective).toEqual({
      requestHeaderOperations: [
        { name: "x-fn", value: "api.get", operation: "REPLACE" },
        { name: "x-fn", value: "fixed", operation: "REPLACE" },
        { name: "x-old", value: "", operation: "REMOVE" },
      ],
      responseHeaderOperations: [{ name: "x-served-by", value: "functrace", operation: "APPEND" }],
    });
    expect((await d.check(createBag({ "span.name": "internal.x" }))).routeDirective).toBeUndefined();
    await d.close();
  });

  test("a denied Check carries no header operations; rules with actions and headers do both", async () => {
    const d = await dispatcher([
      denier("deny", StatusCode.PERMISSION_DENIED),
      nothing,
      rule("both", { match: "span.error", actions: [{ handler: "deny", instances: ["nothing"] }], requestHeaderOperations: [{ name: "x-a", values: ['"1"'] }] }),
      rule("hdr", { responseHeaderOperations: [{ name: "x-b", values: ['"2"'], operation: 2 }] }),
    ]);
    const denied = await d.check(createBag({ "span.error": true }));
    expect(denied.status.code).toBe(StatusCode.PERMISSION_DENIED);
    expect(denied.routeDirective).toBeUndefined();
    const ok = await d.check(createBag({ "span.error": false }));
    expect(ok.routeDirective).toEqual({ requestHeaderOperations: [], responseHeaderOperations: [{ name: "x-b", value: "2", operation: "APPEND" }] });
    await d.close();
  });

  test("namespace rules only apply to their namespace; default-namespace rules everywhere", async () => {
    const d = await dispatcher([
      rule("everywhere", { requestHeaderOperations: [{ name: "x-all", values: ['"1"'] }] }),
      rule("shop", { requestHeaderOperations: [{ name: "x-shop", values: ['"1"'] }] }, "shop"),
    ]);
    const names = async (ns?: string): Promise<string[]> =>
      ((await d.check(createBag(ns ? { "destination.namespace": ns } : {}))).routeDirective?.requestHeaderOperations ?? []).map((o) => o.name);
    expect(await names()).toEqual(["x-all"]);
    expect(await names("shop")).toEqual(["x-all", "x-shop"]);
    expect(await names("other")).toEqual(["x-all"]);
    await d.close();
  });

  test("bad header operations are located config errors", () => {
    const snap = buildSnapshot(
      sourceFromObjects(
        [
          rule("r", {
            requestHeaderOperations: [
              { name: "", values: ['"a"'] },
              { name: "bad name", values: ['"a"'] },
              { name: "x", values: ["span.nope"] },
              { name: "x", values: ["span.depth"] },
              { name: "x", operation: "UPSERT", values: ['"a"'] },
              { name: "x" },
              { name: "x", values: ['"a"'], extra: 1 },
            ],
            response_header_operations: "x",
          }),
        ],
        "h.yaml",
      ),
    );
    expect(snap.errors.map(String)).toEqual([
      "h.yaml#1 rule='r.rule.istio-system'.requestHeaderOperations[0].name: header name is required",
      "h.yaml#1 rule='r.rule.istio-system'.requestHeaderOperations[1].name: invalid header name 'bad name'",
      "h.yaml#1 rule='r.rule.istio-system'.requestHeaderOperations[2].values[0]: unknown attribute span.nope",
      "h.yaml#1 rule='r.rule.istio-system'.requestHeaderOperations[3].values[0]: header value expression must return a string, got INT64",
      "h.yaml#1 rule='r.rule.istio-system'.requestHeaderOperations[4].operation: operation must be REPLACE, REMOVE or APPEND (or 0, 1, 2)",
      "h.yaml#1 rule='r.rule.istio-system'.requestHeaderOperations[5].values: REPLACE needs at least one value expression",
      "h.yaml#1 rule='r.rule.istio-system'.requestHeaderOperations[6].extra: unknown field (allowed: name, values, operation)",
      "h.yaml#1 rule='r.rule.istio-system'.response_header_operations: header operations must be a list",
    ]);
    expect(snap.rules).toHaveLength(0);
  });
});
