import { denierAdapter, noopAdapter } from "../../../src/mixer/adapters/index";
import { HandlerEnv, createLogger, NOOP_LOG_SINK, StatusCode } from "../../../src/mixer/adapter/index";

const env = (): HandlerEnv => new HandlerEnv(createLogger(NOOP_LOG_SINK, "t"));

describe("denier adapter", () => {
  it("should answer every check with the configured status and grant no quota", async () => {
    const params = { ...(denierAdapter.defaultConfig as object), status: { code: "PERMISSION_DENIED", message: "go away" }, valid_duration: "2s" };
    const h = await denierAdapter.newBuilder().build({ params, types: new Map() }, env());
    expect(await h.handleCheck!("checknothing", { name: "n" })).toEqual({ status: { code: StatusCode.PERMISSION_DENIED, message: "go away" }, validDurationMs: 2000, validUseCount: 1000 });
    expect(await h.handleQuota!("quota", { name: "q" }, { deduplicationId: "", quotaAmount: 5, bestEffort: false })).toMatchObject({ amount: 0 });
  });

  it("should default to FAILED_PRECONDITION, 5s and 1000 uses", async () => {
    const h = await denierAdapter.newBuilder().build({ params: denierAdapter.defaultConfig, types: new Map() }, env());
    expect(await h.handleCheck!("listentry", { name: "n" })).toEqual({ status: { code: StatusCode.FAILED_PRECONDITION }, validDurationMs: 5000, validUseCount: 1000 });
  });

  it.each([
    [{ status: { code: "NOPE" } }, "status.code: unknown status code string \"NOPE\""],
    [{ valid_duration: "soon" }, "valid_duration: expected a duration such as \"5s\" or \"100ms\", got string \"soon\""],
    [{ valid_use_count: -1 }, "valid_use_count: must be >= 0"],
  ])("should reject %j", (params, expected) => {
    expect(denierAdapter.newBuilder().validate({ params, types: new Map() }).map((e) => `${e.field}: ${e.message}`)).toEqual([expected]);
  });
});

describe("noop adapter", () => {
  it("should accept every template and return default results", async () => {
    const h = await noopAdapter.newBuilder().build({ params: {}, types: new Map() }, env());
    expect(await h.handleReport!("metric", [{ name: "m" }])).toBeUndefined();
    expect(await h.handleCheck!("checknothing", { name: "n" })).toMatchObject({ status: { code: 0 }, validDurationMs: 0, validUseCount: 0 });
    expect(await h.handleQuota!("quota", { name: "q" }, { deduplicationId: "", quotaAmount: 2, bestEffort: false })).toMatchObject({ amount: 0 });
  });

  it("should reject params", () => {
    expect(noopAdapter.newBuilder().validate({ params: { x: 1 }, types: new Map() })).toEqual([{ field: "x", message: "unknown field (allowed: )" }]);
  });
});
