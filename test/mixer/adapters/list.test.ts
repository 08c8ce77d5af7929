import { IpAddress } from "../../../src/mixer/attribute/index";
import { parseListConfig } from "../../../src/mixer/adapters/list/config";
import { ListHandler, type ListFetcher } from "../../../src/mixer/adapters/list/handler";
import { listAdapter } from "../../../src/mixer/adapters/index";
import { StatusCode } from "../../../src/mixer/adapter/index";

function list(params: Record<string, unknown>, fetcher?: ListFetcher, now?: () => number): ListHandler {
  const errors: { field: string; message: string }[] = [];
  const cfg = parseListConfig({ ...(listAdapter.defaultConfig as object), ...params }, errors);
  expect(errors).toEqual([]);
  return new ListHandler(cfg, fetcher, now);
}
const check = (h: ListHandler, value: unknown): [number, string | undefined] => {
  const r = h.handleCheck("listentry", { name: "e", value });
  return [r.status.code, r.status.message];
};
const v4 = (...b: number[]): IpAddress => new IpAddress(Uint8Array.from(b));

describe("list adapter", () => {
  const cases: { name: string; params: Record<string, unknown>; value: unknown; expected: [number, string | undefined] }[] = [
    { name: "whitelist hit", params: { overrides: ["a", "b"] }, value: "a", expected: [StatusCode.OK, undefined] },
    { name: "whitelist miss", params: { overrides: ["a"] }, value: "c", expected: [StatusCode.PERMISSION_DENIED, "c is not whitelisted"] },
    { name: "blacklist hit", params: { overrides: ["a"], blacklist: true }, value: "a", expected: [StatusCode.PERMISSION_DENIED, "a is blacklisted"] },
    { name: "blacklist miss", params: { overrides: ["a"], blacklist: true }, value: "b", expected: [StatusCode.OK, undefined] },
    { name: "case sensitive", params: { overrides: ["Abc"] }, value: "abc", expected: [StatusCode.PERMISSION_DENIED, "abc is not whitelisted"] },
    { name: "case insensitive", params: { overrides: ["Abc"], entry_type: "CASE_INSENSITIVE_STRINGS" }, value: "aBC", expected: [StatusCode.OK, undefined] },
    { name: "ip in prefix", params: { overrides: ["10.0.0.0/8"], entry_type: "IP_ADDRESSES" }, value: v4(10, 1, 2, 3), expected: [StatusCode.OK, undefined] },
    { name: "ip text outside prefix", params: { overrides: ["10.0.0.0/8"], entry_type: "IP_ADDRESSES" }, value: "11.0.0.1", expected: [StatusCode.PERMISSION_DENIED, "11.0.0.1 is not whitelisted"] },
    { name: "bare ip is /32", params: { overrides: ["10.0.0.1"], entry_type: "IP_ADDRESSES" }, value: "10.0.0.2", expected: [StatusCode.PERMISSION_DENIED, "10.0.0.2 is not whitelisted"] },
    { name: "bare ipv6 is /128", params: { overrides: ["2001:db8::1"], entry_type: "IP_ADDRESSES" }, value: "2001:db8::1", expected: [StatusCode.OK, undefined] },
    { name: "not an ip", params: { overrides: ["10.0.0.0/8"], entry_type: "IP_ADDRESSES" }, value: "host", expected: [StatusCode.INVALID_ARGUMENT, "host is not a valid IP address"] },
    { name: "regex unanchored", params: { overrides: ["^/api/", "admin"], entry_type: "REGEX" }, value: "/x/admin/y", expected: [StatusCode.OK, undefined] },
    { name: "regex miss", params: { overrides: ["^/api/"], entry_type: "REGEX" }, value: "/x/api/", expected: [StatusCode.PERMISSION_DENIED, "/x/api/ is not whitelisted"] },
    { name: "non-string value", params: { overrides: ["1"] }, value: 1n, expected: [StatusCode.INVALID_ARGUMENT, "1 is not a valid string or IP address"] },
  ];
  it.each(cases)("should handle $name", ({ params, value, expected }) => {
    expect(check(list(params), value)).toEqual(expected);
  });

  it("should return caching_interval and caching_use_count with every answer", () => {
    const r = list({ overrides: ["a"], caching_interval: "7s", caching_use_count: 3 }).handleCheck("listentry", { name: "e", value: "a" });
    expect([r.validDurationMs, r.validUseCount]).toEqual([7000, 3]);
  });

  it("should fetch from the provider, keep the old list on failure, and purge after ttl", async () => {
    let now = 0;
    let reply: { status: number; body: string } | Error = { status: 200, body: "x\ny\n" };
    const fetcher: ListFetcher = async () => {
      if (reply instanceof Error) throw reply;
      return reply;
    };
    const h = list({ provider_url: "http://lists.example/l", refresh_interval: "1s", ttl: "3s", overrides: ["local"] }, fetcher, () => now);
    expect(() => check(h, "x")).toThrow("is not available yet");
    await h.refresh();
    expect([check(h, "x")[0], check(h, "local")[0], check(h, "z")[0]]).toEqual([0, 0, StatusCode.PERMISSION_DENIED]);
    reply = { status: 500, body: "" };
    now = 2000;
    await h.refresh();
    expect(check(h, "y")[0]).toBe(0);
    now = 4000;
    expect(() => check(h, "y")).toThrow("HTTP 500");
  });

  it("should parse IP provider content from a YAML whitelist document", async () => {
    const h = list({ provider_url: "http://l.example/ips", entry_type: "IP_ADDRESSES" }, async () => ({ status: 200, body: "whitelist:\n  - 192.168.0.0/16\n" }));
    await h.refresh();
    expect(check(h, "192.168.3.4")[0]).toBe(0);
  });

  it.each([
    [{ provider_url: "not a url" }, "provider_url: 'not a url' must be an absolute URL with a scheme and host"],
    [{ provider_url: "http://x", refresh_interval: "10ms" }, "refresh_interval: must be at least 1s"],
    [{ provider_url: "http://x", ttl: "1s" }, "ttl: must be >= refresh_interval"],
    [{ entry_type: "IP_ADDRESSES", overrides: ["300.1.1.1"] }, "overrides: '300.1.1.1' is not a valid IP address or CIDR range"],
    [{ entry_type: "REGEX", overrides: ["(("] }, "overrides: '((' is not a valid regular expression"],
  ])("should reject %j", (params, expected) => {
    const errors = listAdapter.newBuilder().validate({ params: { ...(listAdapter.defaultConfig as object), ...params }, types: new Map() });
    expect(errors.map((e) => `${e.field}: ${e.message}`)).toEqual([expect.stringContaining(expected)]);
  });
});
