import { Dispatcher, createBag, BUILTIN_ADAPTERS, StatusCode } from "../../../src/mixer/index";
import { callLog, closed, buildCount, fakeAdapter } from "./fake-adapter";

function handler(name: string, params: Record<string, unknown> = {}, namespace?: string): unknown {
  return { kind: "handler", metadata: { name, namespace }, spec: { compiledAdapter: "fake", params: { id: name, ...params } } };
}
function instance(name: string, template: string, params: Record<string, unknown> = {}, namespace?: string): unknown {
  return { kind: "instance", metadata: { name, namespace }, spec: { compiledTemplate: template, params } };
}
function rule(name: string, match: string, actions: { handler: string; instances: string[] }[], extra: Record<string, unknown> = {}, namespace?: string): unknown {
  return { kind: "rule", metadata: { name, namespace }, spec: { match, actions, ...extra } };
}

const metric = (name: string, dims: Record<string, string> = {}, ns?: string): unknown => instance(name, "metric", { value: "1", dimensions: dims }, ns);

async function dispatcher(resources: unknown[], opts: ConstructorParameters<typeof Dispatcher>[0] = {}): Promise<Dispatcher> {
  const d = new Dispatcher({ adapters: [...BUILTIN_ADAPTERS, fakeAdapter], callTimeoutMs: 200, ...opts });
  const u = await d.applyResources(resources);
  expect(u.errors.map(String)).toEqual([]);
  return d;
}

beforeEach(() => {
  callLog.length = 0;
  closed.length = 0;
});

describe("Dispatcher", () => {
  describe("report", () => {
    it("should batch instances per destination and call each handler once per flush", async () => {
      const d = await dispatcher([
        handler("h1"),
        handler("h2"),
        metric("calls", { fn: "span.name" }),
        metric("errors", { fn: "span.name" }),
        rule("r1", "", [{ handler: "h1", instances: ["calls"] }]),
        rule("r2", "span.error", [{ handler: "h2", instances: ["errors", "calls"] }]),
      ]);
      const r = d.getReporter();
      r.report(createBag({ "span.name": "a", "span.error": false }));
      r.report(createBag({ "span.name": "b", "span.error": true }));
      expect(callLog).toEqual([]);
      expect(r.pending).toBe(4);
      await r.flush();
      r.done();
      expect(callLog.sort()).toEqual([
        "h1 report metric calls(value=1 dimensions={fn:a}) calls(value=1 dimensions={fn:b})",
        "h2 report metric errors(value=1 dimensions={fn:b}) calls(value=1 dimensions={fn:b})",
      ]);
    });

    it("should do nothing when no rule routes Report", async () => {
      const d = await dispatcher([handler("h1"), instance("c", "checknothing"), rule("r", "", [{ handler: "h1", instances: ["c"] }])]);
      const r = d.getReporter();
      expect(r.report(createBag({}))).toEqual([]);
      expect(r.pending).toBe(0);
      await r.flush();
      expect(callLog).toEqual([]);
    });

    it("should route by namespace and prepend default-namespace rules", async () => {
      const d = await dispatcher([
        handler("global"),
        handler("local", {}, "billing"),
        metric("m"),
        metric("m", {}, "billing"),
        rule("all", "", [{ handler: "global", instances: ["m"] }]),
        rule("mine", "", [{ handler: "local", instances: ["m"] }], {}, "billing"),
      ]);
      await d.report(createBag({ "destination.namespace": "billing" }));
      await d.report(createBag({ "destination.namespace": "other" }));
      await d.report(createBag({ "context.reporter.kind": "outbound", "source.namespace": "billing", "destination.namespace": "x" }));
      expect(callLog).toEqual([
        "global report metric m(value=1 dimensions={})",
        "local report metric m(value=1 dimensions={})",
        "global report metric m(value=1 dimensions={})",
        "global report metric m(value=1 dimensions={})",
        "local report metric m(value=1 dimensions={})",
      ]);
    });

    it("should treat a match evaluation error as false and count it", async () => {
      const d = await dispatcher([handler("h1"), metric("m"), rule("r", 'span.name == "x"', [{ handler: "h1", instances: ["m"] }])]);
      await d.report(createBag({}));
      expect(callLog).toEqual([]);
      expect(d.stats.matchErrors).toBe(1);
    });

    it("should aggregate instance build errors and still deliver the others", async () => {
      const d = await dispatcher([handler("h1"), metric("good"), metric("bad", { x: "span.name" }), rule("r", "", [{ handler: "h1", instances: ["bad", "good"] }])]);
      await expect(d.report(createBag({}))).rejects.toThrow("evaluation failed at [bad.instance.istio-system]'dimensions[x]': 'lookup failed: 'span.name''");
      expect(callLog).toEqual(["h1 report metric good(value=1 dimensions={})"]);
    });

    it("should not let a failing or hanging handler block or fail the others", async () => {
      const d = await dispatcher([
        handler("ok1"),
        handler("broken", { fail: "disk full" }),
        handler("stuck", { hang: true }),
        handler("ok2"),
        metric("m"),
        rule("r", "", ["ok1", "broken", "stuck", "ok2"].map((h) => ({ handler: h, instances: ["m"] }))),
      ]);
      const r = d.getReporter();
      r.report(createBag({}));
      const err = (await r.flush().catch((e: unknown) => e)) as AggregateError;
      expect(err).toBeInstanceOf(AggregateError);
      expect(err.errors.map((e: Error) => e.message).sort()).toEqual([
        "failed to report all values: metric:broken.handler.istio-system(fake): disk full",
        "failed to report all values: metric:stuck.handler.istio-system(fake): no response within 200 ms",
      ]);
      expect(callLog.filter((l) => l.startsWith("ok")).length).toBe(2);
      expect(d.stats.dispatchErrors).toBe(2);
    });

    it("should drop instances beyond the per-destination bound and count them", async () => {
      const d = await dispatcher([handler("h1"), metric("m"), rule("r", "", [{ handler: "h1", instances: ["m"] }])], { maxBufferedPerDestination: 2 });
      const r = d.getReporter();
      for (let i = 0; i < 5; i++) r.report(createBag({}));
      expect(r.pending).toBe(2);
      expect(d.stats.dropped).toBe(3);
    });

    it("should not call a handler with an empty batch when the bound is 0", async () => {
      const d = await dispatcher([handler("h1"), metric("m"), rule("r", "", [{ handler: "h1", instances: ["m"] }])], { maxBufferedPerDestination: 0 });
      const r = d.getReporter();
      r.report(createBag({}));
      await r.flush();
      r.done();
      expect([r.pending, d.stats.dropped, d.stats.dispatches, callLog]).toEqual([0, 1, 0, []]);
    });
  });

  describe("sampling", () => {
    it("should keep 1 in samplingRate after maxUnsampledEntries within a window", async () => {
      let now = 0;
      const d = await dispatcher(
        [handler("h1"), metric("m"), rule("r", "", [{ handler: "h1", instances: ["m"] }], { sampling: { rateLimit: { samplingDuration: "1s", maxUnsampledEntries: 2, samplingRate: 3 } } })],
        { sampling: { now: () => now } },
      );
      const r = d.getReporter();
      for (let i = 0; i < 8; i++) r.report(createBag({}));
      expect(r.pending).toBe(4); // 1, 2 unsampled; then the 3rd and 6th of the rest
      now = 1000;
      r.report(createBag({}));
      expect(r.pending).toBe(5);
    });

    it("should sample consistently per trace id and never at numerator 0", async () => {
      const d = await dispatcher([
        handler("h1"),
        metric("m"),
        rule("half", "", [{ handler: "h1", instances: ["m"] }], { sampling: { random: { percentSampled: { numerator: 50, denominator: "HUNDRED" } } } }),
        rule("none", "", [{ handler: "h1", instances: ["m"] }], { sampling: { random: { percentSampled: { numerator: 0 } } } }),
      ]);
      const r = d.getReporter();
      const kept = (id: string): number => {
        const before = r.pending;
        r.report(createBag({ "span.trace_id": id }));
        return r.pending - before;
      };
      const ids = Array.from({ length: 200 }, (_, i) => `trace-${i}`);
      const first = ids.map(kept);
      expect(ids.map(kept)).toEqual(first);
      const total = first.reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(60);
      expect(total).toBeLessThan(140);
    });
  });

  describe("check", () => {
    it("should combine results in routing order", async () => {
      const d = await dispatcher([
        handler("a", { code: 0, durationMs: 5000, useCount: 50 }),
        handler("b", { code: StatusCode.PERMISSION_DENIED, message: "no", durationMs: 1000, useCount: 100 }),
        handler("c", { code: StatusCode.UNAVAILABLE, message: "down", durationMs: 3000, useCount: 10 }),
        instance("n", "checknothing"),
        rule("r", "", ["a", "b", "c"].map((h) => ({ handler: h, instances: ["n"] }))),
      ]);
      const res = await d.check(createBag({}));
      expect(res.status).toEqual({ code: StatusCode.PERMISSION_DENIED, message: "b.handler.istio-system:no, c.handler.istio-system:down" });
      expect([res.validDurationMs, res.validUseCount]).toEqual([1000, 10]);
      expect(res.error).toBeUndefined();
    });

    it("should answer OK for 1 minute / 10000 uses when no adapter answers, with references", async () => {
      const d = await dispatcher([handler("a"), instance("n", "checknothing"), rule("r", 'span.name == "x"', [{ handler: "a", instances: ["n"] }])]);
      const res = await d.check(createBag({ "span.name": "y" }));
      expect(res).toMatchObject({ status: { code: 0 }, validDurationMs: 60000, validUseCount: 10000 });
      expect(res.referencedAttributes.toStrings()).toEqual(["span.name"]);
    });

    it("should aggregate handler errors without failing the other answers", async () => {
      const d = await dispatcher([handler("a", { fail: "boom" }), handler("b", { code: 7, message: "no" }), instance("n", "checknothing"), rule("r", "", ["a", "b"].map((h) => ({ handler: h, instances: ["n"] })))]);
      const res = await d.check(createBag({}));
      expect(res.status.code).toBe(7);
      expect(res.error?.message).toContain("checknothing:a.handler.istio-system(fake): boom");
    });
  });

  describe("quota", () => {
    it("should grant unconfigured quotas and dispatch configured ones by short name", async () => {
      const d = await dispatcher([handler("q", { grant: 3 }), instance("requests", "quota", { dimensions: { fn: "span.name" } }), rule("r", "span.name != \"free\"", [{ handler: "q", instances: ["requests"] }])]);
      expect(await d.quota(createBag({}), "other", { quotaAmount: 5 })).toMatchObject({ amount: 5, validDurationMs: 60000, warning: "Requested quota 'other' is not configured" });
      expect(await d.quota(createBag({ "span.name": "free" }), "Requests", { quotaAmount: 5 })).toMatchObject({ amount: 5, validDurationMs: 60000 });
      expect(await d.quota(createBag({ "span.name": "paid" }), "requests", { quotaAmount: 5 })).toMatchObject({ amount: 3, validDurationMs: 1000 });
      expect(callLog).toEqual(["q quota quota requests(dimensions={fn:paid}) amount=5"]);
    });
  });

  describe("preprocess", () => {
    it("should merge generator outputs through attributeBindings; inputs win", async () => {
      const gen = { kind: "instance", metadata: { name: "g" }, spec: { compiledTemplate: "attributes", params: { inputs: { n: "span.name" } }, attributeBindings: { "api.operation": "output.op", "span.kind": "output.kind" } } };
      const d = await dispatcher([
        handler("gen", { output: { op: "generated", kind: "server" } }),
        handler("h1"),
        gen,
        metric("m", { op: "api.operation", kind: "span.kind" }),
        rule("g", "", [{ handler: "gen", instances: ["g"] }]),
        rule("r", "", [{ handler: "h1", instances: ["m"] }]),
      ]);
      await d.report(createBag({ "span.name": "f", "span.kind": "internal" }));
      expect(callLog).toEqual(["gen generate attributes g(inputs={n:f})", "h1 report metric m(value=1 dimensions={op:generated,kind:internal})"]);
    });
  });

  describe("config changes", () => {
    it("should finish in-flight reports on their snapshot, reuse unchanged handlers and close replaced ones", async () => {
      const base = [handler("keep"), handler("old"), metric("m"), rule("r", "", [{ handler: "keep", instances: ["m"] }, { handler: "old", instances: ["m"] }])];
      const d = await dispatcher(base);
      const builds = buildCount();
      const r = d.getReporter();
      r.report(createBag({}));
      await d.applyResources([handler("keep"), handler("old", { changed: true }), metric("m"), rule("r", "", [{ handler: "keep", instances: ["m"] }, { handler: "old", instances: ["m"] }])]);
      expect(buildCount() - builds).toBe(1); // only the changed handler is rebuilt
      expect(closed).toEqual([]); // the reporter still holds the old generation
      await r.flush(); // delivered with the old handlers, then moves to the new generation
      expect(callLog.sort()).toEqual(["keep report metric m(value=1 dimensions={})", "old report metric m(value=1 dimensions={})"]);
      await d.idle();
      expect(closed).toEqual(["old"]);
      r.done();
      await d.close();
      expect(closed.sort()).toEqual(["keep", "old", "old"]);
    });

    it("should refuse a config with errors in strict mode and keep the current one", async () => {
      const d = await dispatcher([handler("h1"), metric("m"), rule("r", "", [{ handler: "h1", instances: ["m"] }])], { strict: true });
      await expect(d.applyResources([rule("r", "", [{ handler: "nope", instances: ["m"] }])])).rejects.toThrow("invalid config (");
      expect(d.snapshot.rules).toHaveLength(1);
    });
  });
});
