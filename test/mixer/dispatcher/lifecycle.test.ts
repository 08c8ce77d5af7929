import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Dispatcher, createBag, BUILTIN_ADAPTERS, type AdapterInfo, type Instance, type WatchReload } from "../../../src/mixer/index";
import { callLog, closed, fakeAdapter } from "./fake-adapter";

const handler = (name: string, params: Record<string, unknown> = {}): unknown => ({ kind: "handler", metadata: { name }, spec: { compiledAdapter: "fake", params: { id: name, ...params } } });
const metric = (name: string): unknown => ({ kind: "instance", metadata: { name }, spec: { compiledTemplate: "metric", params: { value: "1" } } });
const rule = (name: string, handlers: string[]): unknown => ({ kind: "rule", metadata: { name }, spec: { actions: handlers.map((h) => ({ handler: h, instances: ["m"] })) } });

beforeEach(() => {
  callLog.length = 0;
  closed.length = 0;
});

describe("Dispatcher.close", () => {
  it("should abandon Reporters never done() with one warning and resolve without waiting for them", async () => {
    const logs: string[] = [];
    // An hour of drain time: close() must not spend it on reporters.
    const d = new Dispatcher({ adapters: [...BUILTIN_ADAPTERS, fakeAdapter], drainTimeoutMs: 3_600_000, logSink: (level, scope, msg) => logs.push(`${level} ${scope}: ${msg}`) });
    await d.applyResources([handler("h"), metric("m"), rule("r", ["h"])]);
    const forgotten = d.getReporter();
    const other = d.getReporter();
    forgotten.report(createBag({}));
    forgotten.report(createBag({}));
    await d.close();
    expect(closed).toEqual(["h"]);
    expect(logs).toEqual(["warn dispatcher: close: 2 Reporter(s) never done() abandoned; their unflushed instances are dropped"]);
    // Abandoned: reports are ignored, buffered instances are dropped, closed handlers never called.
    expect(forgotten.report(createBag({}))).toEqual([]);
    await forgotten.flush();
    expect(callLog).toEqual([]);
    expect(d.stats.dropped).toBe(2);
    other.done();
    forgotten.done();
    await d.close(); // idempotent
    expect(d.getReporter().report(createBag({}))).toEqual([]);
  });

  it("should wait for a flush in flight, on a timer that keeps the process alive, then close", async () => {
    const d = new Dispatcher({ adapters: [...BUILTIN_ADAPTERS, fakeAdapter], callTimeoutMs: 100, drainTimeoutMs: 60_000 });
    await d.applyResources([handler("stuck", { hang: true }), metric("m"), rule("r", ["stuck"])]);
    const r = d.getReporter();
    r.report(createBag({}));
    const order: string[] = [];
    const flushing = r.flush().catch((e: Error) => order.push(`flush: ${e.message}`));
    await new Promise((resolve) => setImmediate(resolve)); // the flush is now in its handler call
    // Timers close() creates (a process-wide count would see other files' timers come and go).
    const made: NodeJS.Timeout[] = [];
    const realSetTimeout = global.setTimeout;
    const spy = jest.spyOn(global, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
      const t = realSetTimeout(fn, ms);
      made.push(t);
      return t;
    }) as typeof setTimeout);
    const closing = d.close().then(() => order.push(`close: closed=${closed.join(",")}`));
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    spy.mockRestore();
    expect(made.filter((t) => t.hasRef())).toHaveLength(1); // the drain wait is ref'd: close() settles even in an idle process
    await Promise.all([flushing, closing]);
    expect(order).toEqual(["flush: report failed for 1 destination(s): failed to report all values: metric:stuck.handler.istio-system(fake): no response within 100 ms", "close: closed=stuck"]);
    r.done();
  });

  it("should finish a dispatcher.report() in flight instead of abandoning it", async () => {
    const d = new Dispatcher({ adapters: [...BUILTIN_ADAPTERS, fakeAdapter] });
    await d.applyResources([handler("h"), metric("m"), rule("r", ["h"])]);
    const reporting = d.report([createBag({}), createBag({})]);
    await d.close();
    await reporting;
    expect(callLog).toEqual(["h report metric m(value=1 dimensions={}) m(value=1 dimensions={})"]);
    expect(closed).toEqual(["h"]);
  });
});

/** Synchronous handlers: `throw` throws the param's value, otherwise batches are recorded. */
const syncAdapter: AdapterInfo = {
  name: "sync",
  description: "synchronous test handler",
  supportedTemplates: ["metric"],
  defaultConfig: {},
  newBuilder: () => ({
    validate: () => [],
    build: (input) => {
      const p = input.params as { id: string; throw?: unknown };
      return {
        handleReport: (_t: string, batch: readonly Instance[]) => {
          if ("throw" in p) throw p.throw;
          callLog.push(`${p.id} got ${batch.length}`);
        },
        close: () => undefined,
      };
    },
  }),
};

describe("Reporter.flush with synchronous and asynchronous handlers", () => {
  it("should deliver without waiting on sync handlers and report every failure in routing order", async () => {
    const sync = (name: string, params: Record<string, unknown> = {}): unknown => ({ kind: "handler", metadata: { name }, spec: { compiledAdapter: "sync", params: { id: name, ...params } } });
    const d = new Dispatcher({ adapters: [...BUILTIN_ADAPTERS, fakeAdapter, syncAdapter], callTimeoutMs: 200 });
    const u = await d.applyResources([
      handler("async-bad", { fail: "disk full" }),
      sync("sync-ok"),
      sync("sync-throws", { throw: new Error("boom") }),
      sync("sync-panics", { throw: "not an Error" }),
      metric("m"),
      rule("r", ["async-bad", "sync-ok", "sync-throws", "sync-panics"]),
    ]);
    expect(u.errors.map(String)).toEqual([]);
    const r = d.getReporter();
    r.report(createBag({}));
    r.report(createBag({}));
    const err = (await r.flush().catch((e: unknown) => e)) as AggregateError;
    expect(err.errors.map((e: Error) => e.message)).toEqual([
      "failed to report all values: metric:async-bad.handler.istio-system(fake): disk full",
      "failed to report all values: metric:sync-throws.handler.istio-system(sync): boom",
      "failed to report all values: metric:sync-panics.handler.istio-system(sync): panic during handler dispatch: not an Error",
    ]);
    expect(callLog.filter((l) => l.startsWith("sync"))).toEqual(["sync-ok got 2"]);
    expect([d.stats.dispatches, d.stats.dispatchErrors]).toEqual([4, 3]);
    r.done();
    await d.close();
  });
});

describe("Dispatcher watch mode", () => {
  let dir: string;
  let d: Dispatcher | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mixer-watch-"));
  });
  afterEach(async () => {
    await d?.close();
    d = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const HANDLERS = "kind: handler\nmetadata: {name: h}\nspec: {compiledAdapter: noop}\n---\nkind: instance\nmetadata: {name: m}\nspec:\n  compiledTemplate: metric\n  params: {value: '1'}\n";
  const ruleYaml = (match: string, h = "h"): string => `kind: rule\nmetadata: {name: r}\nspec:\n  match: ${match}\n  actions: [{handler: ${h}, instances: [m]}]\n`;

  /**
   * Starts a watching dispatcher; `next()` resolves with the next watch-triggered reload,
   * `until(p)` with the first one satisfying `p` (an editor's write can fire more than one burst).
   */
  async function watching(debounceMs: number) {
    const reloads: WatchReload[] = [];
    const waiters: ((r: WatchReload) => void)[] = [];
    const logs: string[] = [];
    d = new Dispatcher({
      logSink: (level, scope, msg) => logs.push(`${level} ${scope}: ${msg}`),
      watch: {
        debounceMs,
        onReload: (r) => {
          const waiter = waiters.shift();
          if (waiter) waiter(r);
          else reloads.push(r);
        },
      },
    });
    const u = await d.loadFiles(dir);
    expect(u.errors.map(String)).toEqual([]);
    const next = (): Promise<WatchReload> => (reloads.length > 0 ? Promise.resolve(reloads.shift()!) : new Promise((res) => waiters.push(res)));
    const until = async (p: (r: WatchReload) => boolean): Promise<WatchReload> => {
      for (;;) {
        const r = await next();
        if (p(r)) return r;
      }
    };
    return { dispatcher: d, next, until, logs, reloads };
  }

  it("should reload on an edit, refuse an invalid edit with every problem, keep the old config, then recover", async () => {
    writeFileSync(join(dir, "handlers.yaml"), HANDLERS);
    writeFileSync(join(dir, "rules.yaml"), ruleYaml("span.error"));
    const { dispatcher, until, logs } = await watching(50);
    const matchText = (): string | undefined => dispatcher.snapshot.rules[0]?.match?.text;
    expect(matchText()).toBe("span.error");

    writeFileSync(join(dir, "rules.yaml"), ruleYaml('span.name == "x"'));
    const ok = await until(() => matchText() === 'span.name == "x"');
    expect(ok).toEqual({ applied: true, errors: [], buildErrors: [] });
    const good = dispatcher.snapshot;

    writeFileSync(join(dir, "rules.yaml"), ruleYaml("span.nme", "nope"));
    const bad = await until((r) => !r.applied);
    const problems = bad.errors.map(String);
    expect(problems).toEqual([
      expect.stringContaining("rules.yaml#1:4 rule='r.rule.istio-system'.match: unknown attribute span.nme"),
      expect.stringContaining("handler='nope'"),
    ]);
    expect(dispatcher.snapshot).toBe(good); // the previous config stays live
    for (const p of problems) expect(logs).toContain(`error config: ${p}`);
    expect(logs).toContain(`warn config: reload of ${dir} refused (${problems.length} problem(s)); the previous config stays live`);

    writeFileSync(join(dir, "rules.yaml"), ruleYaml("span.error"));
    await until((r) => r.applied && matchText() === "span.error");
  });

  it("should debounce a burst of writes into one reload and ignore non-YAML files", async () => {
    writeFileSync(join(dir, "handlers.yaml"), HANDLERS);
    writeFileSync(join(dir, "rules.yaml"), ruleYaml("span.error"));
    const { dispatcher, next, reloads } = await watching(300);
    writeFileSync(join(dir, "notes.txt"), "not config");
    writeFileSync(join(dir, "rules.yaml"), ruleYaml("span.error == false"));
    writeFileSync(join(dir, "more.yml"), ruleYaml('span.name == "y"').replace("name: r", "name: r2"));
    expect((await next()).errors.map(String)).toEqual([]);
    expect(dispatcher.snapshot.rules.map((r) => r.match?.text)).toEqual(['span.name == "y"', "span.error == false"]); // path order: more.yml, rules.yaml
    await dispatcher.close();
    writeFileSync(join(dir, "rules.yaml"), ruleYaml("span.error"));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(reloads).toEqual([]); // one reload for the burst, none after close()
  });

  it("should need loadFiles() before watch()", () => {
    expect(() => new Dispatcher().watch()).toThrow("watch() needs a previous loadFiles()");
  });
});
