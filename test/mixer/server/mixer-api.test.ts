import { status } from "@grpc/grpc-js";
import { startMixerServer, type MixerServer } from "../../../src/mixer/server/server";
import { GLOBAL_DICTIONARY } from "../../../src/mixer/attribute/index";
import { client, freePort, g, grpcError, sample, scrape, writeConfig, type TestClient } from "./helpers";

const W = GLOBAL_DICTIONARY.length; // words in the global dictionary

describe("functrace-mixer serve: istio.mixer.v1.Mixer", () => {
  let server: MixerServer;
  let c: TestClient;
  let prom: string;

  beforeAll(async () => {
    prom = `127.0.0.1:${await freePort()}`;
    server = await startMixerServer({ config: writeConfig(prom), address: "127.0.0.1:0", metricsAddress: "127.0.0.1:0", watch: false });
    expect(server.configProblems).toEqual([]);
    c = client(server.address);
  });
  afterAll(async () => {
    c.close();
    await server.close();
  });

  describe("Check", () => {
    it("denies by rule, with the referenced attributes and validity of the answer", async () => {
      const r = await c.check({ attributes: { strings: { [g("request.path")]: -1 }, words: ["/admin"] }, global_word_count: W });
      expect(r.precondition.status).toMatchObject({ code: 7, message: "deny-admin.handler.istio-system:admins only" });
      expect(r.precondition.referenced_attributes.attribute_matches).toEqual(expect.arrayContaining([expect.objectContaining({ name: g("request.path"), condition: "EXACT" })]));
      expect(r.quotas).toEqual({});
    });

    it("answers a list check (allowed, denied) with the map key it read", async () => {
      const ask = (user: string) =>
        c.check({
          attributes: { words: ["/users", "x-user", user], strings: { [g("request.path")]: -1 }, string_maps: { [g("request.headers")]: { entries: { "-2": -3 } } } },
          global_word_count: W,
        });
      const ok = await ask("alice");
      expect(ok.precondition.status.code).toBe(0);
      expect(Number(ok.precondition.valid_duration.seconds) + ok.precondition.valid_duration.nanos / 1e9).toBeGreaterThan(0);
      const refs = ok.precondition.referenced_attributes;
      const key = refs.attribute_matches.find((m: { name: number }) => m.name === g("request.headers"));
      expect(refs.words[-key.map_key - 1]).toBe("x-user");
      expect(key.condition).toBe("EXACT");
      const no = await ask("mallory");
      expect(no.precondition.status).toMatchObject({ code: status.PERMISSION_DENIED, message: expect.stringContaining("mallory is not whitelisted") });
    });

    it("encodes referenced names as message words past the caller's global_word_count", async () => {
      const r = await c.check({ attributes: { words: ["request.path", "/x"], strings: { "-1": -2 } }, global_word_count: 10 });
      const refs = r.precondition.referenced_attributes;
      expect(refs.words).toContain("request.path");
      expect(refs.attribute_matches.every((m: { name: number }) => m.name < 10)).toBe(true);
    });

    it("allocates quotas (after an OK precondition), deduplicated by id + quota name", async () => {
      const ask = (id: string, amount: number, best = false) =>
        c.check({ attributes: { words: ["/q"], strings: { [g("request.path")]: -1 } }, global_word_count: W, deduplication_id: id, quotas: { requestcount: { amount, best_effort: best } } });
      const a = await ask("a", 2);
      expect(a.quotas.requestcount).toMatchObject({ granted_amount: "2", status: { code: 0 } });
      expect((await ask("a", 2)).quotas.requestcount.granted_amount).toBe("2"); // a retry of "a"
      expect((await ask("b", 2)).quotas.requestcount.granted_amount).toBe("0"); // 2 + 2 > 3
      expect((await ask("c", 2, true)).quotas.requestcount.granted_amount).toBe("1"); // best effort: what is left
      const unknown = await c.check({ attributes: {}, global_word_count: W, quotas: { other: { amount: 5 } } });
      expect(unknown.quotas.other.granted_amount).toBe("5"); // not configured: granted
      const denied = await c.check({ attributes: { words: ["/admin"], strings: { [g("request.path")]: -1 } }, global_word_count: W, quotas: { requestcount: { amount: 1 } } });
      expect(denied.quotas).toEqual({}); // quotas only after an OK precondition
    });

    it("refuses a caller that knows more global words than the server (INTERNAL, spec §2.2)", async () => {
      expect(await grpcError(c.check({ attributes: {}, global_word_count: 500 }))).toEqual({
        code: status.INTERNAL,
        details: `inconsistent global dictionary versions used: mixer knows ${W} words, caller knows 500`,
      });
    });

    it("refuses an undefined dictionary index or a duplicate name (INVALID_ARGUMENT)", async () => {
      expect(await grpcError(c.check({ attributes: { strings: { "-3": 0 } }, global_word_count: W }))).toEqual({
        code: status.INVALID_ARGUMENT,
        details: "attribute index -3 is not defined in the available dictionaries",
      });
      expect((await grpcError(c.check({ attributes: { words: ["a.b"], strings: { "-1": 0 }, bools: { "-1": true } } }))).details).toMatch(/^duplicate attribute a.b/);
      expect((await grpcError(c.check({ attributes: { strings: { [g("request.path")]: 9999 } } }))).details).toBe("string index 9999 is not defined in the available dictionaries");
    });
  });

  describe("Report", () => {
    const path = g("request.path");
    const code = g("response.code");

    it("dispatches delta-encoded sets (each on top of the previous) with default_words; the metrics show in the exposition", async () => {
      await c.report({
        default_words: ["/a", "/b"],
        global_word_count: W,
        attributes: [
          { strings: { [path]: -1 }, int64s: { [code]: "200" } }, // /a 200
          {}, //                                                      /a 200 again
          { int64s: { [code]: "500" } }, //                           /a 500
          { strings: { [path]: -2 } }, //                             /b 500
        ],
      });
      const text = await scrape(prom);
      expect(sample(text, 'test_requests_total{path="/a",code="200"}')).toBe(2);
      expect(sample(text, 'test_requests_total{path="/a",code="500"}')).toBe(1);
      expect(sample(text, 'test_requests_total{path="/b",code="500"}')).toBe(1);
    });

    it("treats INDEPENDENT_ENCODING sets on their own, and a set's own words win over default_words", async () => {
      await c.report({
        repeated_attributes_semantics: "INDEPENDENT_ENCODING",
        default_words: ["/c"],
        attributes: [{ strings: { [path]: -1 }, int64s: { [code]: "201" } }, { words: ["/d"], strings: { [path]: -1 } }],
      });
      const text = await scrape(prom);
      expect(sample(text, 'test_requests_total{path="/c",code="201"}')).toBe(1);
      expect(sample(text, 'test_requests_total{path="/d",code="0"}')).toBe(1); // no code carried over
    });

    it("rejects a bad delta set whole (UNKNOWN, naming it), still dispatching the others, which do not see it", async () => {
      const err = await grpcError(
        c.report({
          default_words: ["/e", "/f"],
          attributes: [{ strings: { [path]: -1 }, int64s: { [code]: "200" } }, { strings: { [path]: -2 }, int64s: { "-9": "1" } }, { int64s: { [code]: "404" } }],
        }),
      );
      expect(err).toEqual({ code: status.UNKNOWN, details: "attribute set 1: attribute index -9 is not defined in the available dictionaries" });
      const text = await scrape(prom);
      expect(sample(text, 'test_requests_total{path="/e",code="200"}')).toBe(1);
      expect(sample(text, 'test_requests_total{path="/e",code="404"}')).toBe(1); // set 1 (/f) was not applied
      expect(sample(text, 'test_requests_total{path="/f",code="200"}')).toBeUndefined();
    });

    it("refuses a longer peer dictionary before dispatching anything", async () => {
      expect(await grpcError(c.report({ global_word_count: W + 1, attributes: [{ strings: { [path]: -1 } }], default_words: ["/g"] }))).toMatchObject({ code: status.INTERNAL });
      expect(sample(await scrape(prom), 'test_requests_total{path="/g",code="0"}')).toBeUndefined();
    });
  });

  it("serves its own metrics: calls by method and code, latency, sets, queue depth", async () => {
    const text = await scrape(server.metricsAddress!);
    expect(sample(text, 'functrace_mixer_server_requests_total{method="Report",code="OK"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'functrace_mixer_server_requests_total{method="Check",code="INTERNAL"}')).toBe(1);
    expect(sample(text, 'functrace_mixer_server_requests_total{method="Report",code="UNKNOWN"}')).toBe(1);
    expect(sample(text, 'functrace_mixer_server_attribute_sets_total{method="Report"}')).toBe(8);
    expect(sample(text, 'functrace_mixer_server_request_duration_seconds_count{method="Check"}')).toBeGreaterThan(5);
    expect(sample(text, "functrace_mixer_server_in_flight")).toBe(0);
  });

  it("answers grpc.health.v1 (SERVING; unknown services NOT_FOUND)", async () => {
    expect(await c.health()).toEqual({ status: "SERVING" });
    expect(await c.health("istio.mixer.v1.Mixer")).toEqual({ status: "SERVING" });
    expect((await grpcError(c.health("nope"))).code).toBe(status.NOT_FOUND);
  });
});
