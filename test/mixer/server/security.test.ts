import * as grpc from "@grpc/grpc-js";
import fc from "fast-check";
import { runCli } from "../../../src/mixer/cli/main";
import { ServeOptionsError } from "../../../src/mixer/server/options";
import { mixerService } from "../../../src/mixer/server/protos";
import { startMixerServer, type MixerServer } from "../../../src/mixer/server/server";
import { client, freePort, g, grpcError, writeConfig } from "./helpers";

const TOKEN = "s3cret-token-0123456789";

/** Sends `bytes` as the request of `method` (no client-side serialization). */
function rawCall(c: grpc.Client, method: string, bytes: Buffer): Promise<number> {
  return new Promise((resolve) => {
    c.makeUnaryRequest(
      `/istio.mixer.v1.Mixer/${method}`,
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      new grpc.Metadata(),
      { deadline: Date.now() + 10_000 },
      (err) => resolve(err ? err.code : grpc.status.OK),
    );
  });
}

describe("functrace-mixer serve: safe by default", () => {
  let config: string;
  beforeAll(async () => {
    config = writeConfig(`127.0.0.1:${await freePort()}`);
  });

  it("refuses to listen beyond loopback without a token or client certificates", async () => {
    await expect(startMixerServer({ config, address: "0.0.0.0:0", metricsAddress: "", watch: false })).rejects.toThrow(ServeOptionsError);
    await expect(startMixerServer({ config, address: ":0", metricsAddress: "", watch: false })).rejects.toThrow(/refusing to listen on :0 \(not a loopback address\) without authentication/);
    const r = await runCli(["serve", "--config", config, "--address", "0.0.0.0:9091"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("refusing to listen on 0.0.0.0:9091");
    await expect(startMixerServer({ config, address: "127.0.0.1:0", token: "short", metricsAddress: "", watch: false })).rejects.toThrow(/at least 16 characters/);
  });

  it("listens beyond loopback with a token, and enforces it on every Mixer call", async () => {
    const server = await startMixerServer({ config, address: "0.0.0.0:0", token: TOKEN, metricsAddress: "", watch: false });
    const c = client(`127.0.0.1:${server.port}`);
    try {
      const req = { attributes: { words: ["/x"], strings: { [g("request.path")]: -1 } } };
      expect(await grpcError(c.check(req))).toMatchObject({ code: grpc.status.UNAUTHENTICATED });
      expect(await grpcError(c.report({ attributes: [req.attributes] }, "wrong-token-wrong-token"))).toMatchObject({ code: grpc.status.UNAUTHENTICATED });
      expect((await c.check(req, TOKEN)).precondition.status.code).toBe(0);
      expect(await c.report({ attributes: [req.attributes] }, TOKEN)).toEqual({});
      expect(await c.health()).toEqual({ status: "SERVING" }); // probes carry no token
    } finally {
      c.close();
      await server.close();
    }
  });

  describe("limits", () => {
    let server: MixerServer;
    afterEach(async () => server.close());

    it("refuses a message over maxMessageBytes, and one over maxElements, with RESOURCE_EXHAUSTED", async () => {
      server = await startMixerServer({ config, address: "127.0.0.1:0", metricsAddress: "", watch: false, maxMessageBytes: 10_000, maxElements: 100 });
      const c = client(server.address);
      try {
        expect((await grpcError(c.report({ attributes: [{ words: ["x".repeat(20_000)] }] }))).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
        const words = Array.from({ length: 200 }, (_, i) => `w${i}`);
        expect(await grpcError(c.report({ attributes: [{ words }] }))).toEqual({ code: grpc.status.RESOURCE_EXHAUSTED, details: expect.stringContaining("too large") });
        expect(await c.report({ attributes: [{ words: words.slice(0, 50) }] })).toEqual({});
      } finally {
        c.close();
      }
    });

    it("rate-limits calls over all clients", async () => {
      server = await startMixerServer({ config, address: "127.0.0.1:0", metricsAddress: "", watch: false, maxCallsPerSecond: 5 });
      const c = client(server.address);
      try {
        const codes = await Promise.all(Array.from({ length: 12 }, () => c.report({ attributes: [{}] }).then(() => 0, (e: grpc.ServiceError) => e.code)));
        expect(codes.filter((x) => x === 0).length).toBeLessThanOrEqual(6);
        expect(codes.filter((x) => x === grpc.status.RESOURCE_EXHAUSTED).length).toBeGreaterThanOrEqual(6);
      } finally {
        c.close();
      }
    });
  });

  it("answers fuzzed messages (random bytes, and random well-formed protobuf) with a status, never crashing", async () => {
    const server = await startMixerServer({ config, address: "127.0.0.1:0", metricsAddress: "", watch: false, maxCallsPerSecond: 0 });
    const c = client(server.address);
    const raw = new grpc.Client(server.address, grpc.credentials.createInsecure());
    const serialize = (m: "Check" | "Report", v: unknown) => (mixerService()[m] as grpc.MethodDefinition<unknown, unknown>).requestSerialize(v);
    const index = fc.integer({ min: -6, max: 300 });
    const words = fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 });
    const attrs = fc.record(
      {
        words,
        strings: fc.dictionary(index.map(String), index, { maxKeys: 4 }),
        int64s: fc.dictionary(index.map(String), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), { maxKeys: 3 }),
        doubles: fc.dictionary(index.map(String), fc.double(), { maxKeys: 3 }),
        bools: fc.dictionary(index.map(String), fc.boolean(), { maxKeys: 3 }),
        timestamps: fc.dictionary(index.map(String), fc.record({ seconds: fc.integer().map(String), nanos: fc.integer() }), { maxKeys: 2 }),
        durations: fc.dictionary(index.map(String), fc.record({ seconds: fc.integer().map(String), nanos: fc.integer() }), { maxKeys: 2 }),
        bytes: fc.dictionary(index.map(String), fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b)), { maxKeys: 2 }),
        stringMaps: fc.dictionary(index.map(String), fc.record({ entries: fc.dictionary(index.map(String), index, { maxKeys: 3 }) }), { maxKeys: 2 }),
      },
      { requiredKeys: [] },
    );
    const message = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => ["Report", Buffer.from(b)] as const),
      fc.uint8Array({ maxLength: 200 }).map((b) => ["Check", Buffer.from(b)] as const),
      fc
        .record({ attributes: fc.array(attrs, { maxLength: 4 }), defaultWords: words, globalWordCount: fc.nat(400), repeatedAttributesSemantics: fc.nat(3) })
        .map((r) => ["Report", serialize("Report", r)] as const),
      fc
        .record({ attributes: attrs, globalWordCount: fc.nat(400), deduplicationId: fc.string(), quotas: fc.dictionary(fc.string({ maxLength: 12 }), fc.record({ amount: fc.integer().map(String), bestEffort: fc.boolean() }), { maxKeys: 2 }) })
        .map((r) => ["Check", serialize("Check", r)] as const),
    );
    const seen = new Set<number>();
    try {
      await fc.assert(
        fc.asyncProperty(message, async ([method, bytes]) => {
          const code = await rawCall(raw, method, bytes);
          seen.add(code);
          return code >= 0 && code <= 16;
        }),
        { seed: 20240613, numRuns: 300 },
      );
      expect(await c.health()).toEqual({ status: "SERVING" });
      expect(seen.size).toBeGreaterThan(2); // OK, INVALID_ARGUMENT, INTERNAL (undecodable), UNKNOWN, ...
    } finally {
      raw.close();
      c.close();
      await server.close();
    }
  });
});
