import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { status } from "@grpc/grpc-js";
import { BUILTIN_ADAPTERS } from "../../../src/mixer/adapters/builtin";
import type { AdapterInfo, Instance } from "../../../src/mixer/adapter/types";
import { startMixerServer } from "../../../src/mixer/server/server";
import { client, g, grpcError } from "./helpers";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An adapter whose Report takes `delayMs`; records instances and whether it was closed. */
function slowAdapter(seen: { instances: Instance[]; closed: boolean }, delayMs: number): AdapterInfo {
  return {
    name: "slow",
    description: "slow recorder (tests)",
    supportedTemplates: ["metric"],
    defaultConfig: {},
    newBuilder: () => ({
      validate: () => [],
      build: () => ({
        handleReport: async (_t: string, instances: readonly Instance[]) => {
          await sleep(delayMs);
          seen.instances.push(...instances);
        },
        close: () => void (seen.closed = true),
      }),
    }),
  };
}

const CONFIG = (match: string) => `kind: handler
metadata: {name: slow}
spec: {compiledAdapter: slow}
---
kind: instance
metadata: {name: row}
spec:
  compiledTemplate: metric
  params: {value: "1", dimensions: {path: request.path | "none"}}
---
kind: rule
metadata: {name: r}
spec:
  match: ${match}
  actions: [{handler: slow, instances: [row]}]
`;

describe("functrace-mixer serve: lifecycle", () => {
  it("on close: health NOT_SERVING, calls in flight finish, adapters are closed, new calls refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mixer-serve-"));
    writeFileSync(join(dir, "c.yaml"), CONFIG("true"));
    const seen = { instances: [] as Instance[], closed: false };
    const server = await startMixerServer({ config: dir, address: "127.0.0.1:0", metricsAddress: "", watch: false, dispatcherOptions: { adapters: [...BUILTIN_ADAPTERS, slowAdapter(seen, 300)] } });
    const c = client(server.address);
    const watch = (c.health_ as unknown as { Watch(r: unknown): NodeJS.EventEmitter }).Watch({ service: "" });
    const statuses: string[] = [];
    watch.on("data", (m: { status: string }) => statuses.push(m.status));
    watch.on("error", () => undefined);
    await sleep(50);
    const inFlight = c.report({ default_words: ["/slow"], attributes: [{ strings: { [g("request.path")]: -1 } }] });
    await sleep(50);
    const closed = server.close();
    await expect(inFlight).resolves.toEqual({});
    await closed;
    expect(seen.instances.map((i) => i.dimensions)).toEqual([{ path: "/slow" }]);
    expect(seen.closed).toBe(true);
    expect(statuses).toEqual(["SERVING", "NOT_SERVING"]);
    expect((await grpcError(c.report({ attributes: [{}] }))).code).toBe(status.UNAVAILABLE);
    c.close();
  });

  it("watches its config: an edit takes effect, an invalid edit keeps the previous config", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mixer-serve-"));
    writeFileSync(join(dir, "c.yaml"), CONFIG('request.path == "/one"'));
    const seen = { instances: [] as Instance[], closed: false };
    const server = await startMixerServer({ config: dir, address: "127.0.0.1:0", metricsAddress: "", watch: { debounceMs: 50 }, dispatcherOptions: { adapters: [...BUILTIN_ADAPTERS, slowAdapter(seen, 0)] } });
    const c = client(server.address);
    const send = () => c.report({ default_words: ["/one", "/two"], attributes: [{ strings: { [g("request.path")]: -1 } }, { strings: { [g("request.path")]: -2 } }] });
    try {
      await send();
      expect(seen.instances.map((i) => i.dimensions)).toEqual([{ path: "/one" }]);
      writeFileSync(join(dir, "c.yaml"), CONFIG('request.path == "/two"'));
      for (let i = 0; i < 100 && !server.dispatcher.snapshot.rules.some((r) => r.matchText.includes("/two")); i++) await sleep(50);
      seen.instances.length = 0;
      await send();
      expect(seen.instances.map((i) => i.dimensions)).toEqual([{ path: "/two" }]);
      writeFileSync(join(dir, "c.yaml"), CONFIG("request.nope == 1"));
      await sleep(600);
      seen.instances.length = 0;
      await send();
      expect(seen.instances.map((i) => i.dimensions)).toEqual([{ path: "/two" }]);
    } finally {
      c.close();
      await server.close();
    }
  });
});
