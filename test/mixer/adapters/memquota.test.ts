import { memquotaAdapter } from "../../../src/mixer/adapters/index";
import { parseMemQuotaConfig } from "../../../src/mixer/adapters/memquota/config";
import { MemQuotaHandler, quotaKey } from "../../../src/mixer/adapters/memquota/handler";

function handler(quotas: unknown[], now: () => number, dedup = "1s"): MemQuotaHandler {
  const errors: { field: string; message: string }[] = [];
  const cfg = parseMemQuotaConfig({ quotas, min_deduplication_duration: dedup }, errors);
  expect(errors).toEqual([]);
  return new MemQuotaHandler(cfg, now);
}
const args = (quotaAmount: number, bestEffort = false, deduplicationId = "") => ({ quotaAmount, bestEffort, deduplicationId });

describe("memquota adapter", () => {
  it("should count concurrent quota and release it", () => {
    const h = handler([{ name: "q", max_amount: 3 }], () => 0);
    const inst = { name: "q", dimensions: {} };
    expect(h.handleQuota("quota", inst, args(2)).amount).toBe(2);
    expect(h.handleQuota("quota", inst, args(2)).amount).toBe(0);
    expect(h.handleQuota("quota", inst, args(2, true)).amount).toBe(1);
    expect(h.handleQuota("quota", inst, args(-2)).amount).toBe(2);
    expect(h.handleQuota("quota", inst, args(2)).amount).toBe(2);
  });

  it("should rate-limit over a rolling window with an injectable clock", () => {
    let now = 0;
    const h = handler([{ name: "q", max_amount: 2, valid_duration: "1s" }], () => now);
    const inst = { name: "q", dimensions: {} };
    expect(h.handleQuota("quota", inst, args(1))).toMatchObject({ amount: 1, validDurationMs: 1000 });
    now = 500;
    expect(h.handleQuota("quota", inst, args(1)).amount).toBe(1);
    expect(h.handleQuota("quota", inst, args(1))).toMatchObject({ amount: 0, validDurationMs: 0 });
    now = 1050; // the first slot has left the window
    expect(h.handleQuota("quota", inst, args(1)).amount).toBe(1);
    expect(h.handleQuota("quota", inst, args(1)).amount).toBe(0);
    now = 1600;
    expect(h.handleQuota("quota", inst, args(5, true)).amount).toBe(1);
  });

  it("should keep separate counters per dimensions and apply the first matching override", () => {
    const h = handler([{ name: "q", max_amount: 1, overrides: [{ dimensions: { user: "vip" }, max_amount: 3 }, { dimensions: { user: "vip", n: "1" }, max_amount: 10 }] }], () => 0);
    const q = (user: string) => h.handleQuota("quota", { name: "q", dimensions: { user, n: 1n } }, args(1)).amount;
    expect([q("a"), q("a"), q("b")]).toEqual([1, 0, 1]);
    expect([q("vip"), q("vip"), q("vip"), q("vip")]).toEqual([1, 1, 1, 0]);
  });

  it("should return the remembered answer for a repeated deduplication id", () => {
    let now = 0;
    const h = handler([{ name: "q", max_amount: 1, valid_duration: "10s" }], () => now);
    const inst = { name: "q", dimensions: {} };
    expect(h.handleQuota("quota", inst, args(1, false, "id1")).amount).toBe(1);
    now = 400;
    expect(h.handleQuota("quota", inst, args(1, false, "id1"))).toMatchObject({ amount: 1, validDurationMs: 9600 });
    now = 2500; // beyond 2x the dedup duration: forgotten, allocates again (and is denied)
    expect(h.handleQuota("quota", inst, args(1, false, "id1")).amount).toBe(0);
  });

  it("should fail for a quota without a limit", () => {
    const h = handler([], () => 0);
    expect(() => h.handleQuota("quota", { name: "x", dimensions: {} }, args(1))).toThrow("did not find limit defined for quota x");
  });

  it("should build keys with sorted dimensions and hex integers", () => {
    expect(quotaKey("q.instance.ns", { b: 255n, a: "x" })).toBe("q.instance.ns;a=x;b=ff");
  });

  it.each([
    [{ min_deduplication_duration: "0s" }, "min_deduplication_duration: must be > 0"],
    [{ quotas: [{ max_amount: 1 }] }, "quotas[0].name: required (the quota instance FQN)"],
    [{ quotas: [{ name: "q", max_amount: -1 }] }, "quotas[0].max_amount: must be >= 0"],
    [{ quotas: [{ name: "q", overrides: [{ dimensions: "x" }] }] }, "quotas[0].overrides[0].dimensions: expected a map of dimension name to value"],
  ])("should reject %j", (params, expected) => {
    const errors = memquotaAdapter.newBuilder().validate({ params, types: new Map() });
    expect(errors.map((e) => `${e.field}: ${e.message}`)).toEqual([expected]);
  });
});
