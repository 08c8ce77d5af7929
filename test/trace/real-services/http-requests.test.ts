import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startReceiver, zipkinSpanValidator, type Receiver } from "../export/receiver.js";
import { instrumentedCopy, cleanup, runNodeAsync } from "../../helpers/instrumented-copy.js";
import { assertFlowsNested } from "../../helpers/trace-harness.js";
import { ROOT } from "../../helpers/run-node.js";

interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: string;
  tags: Record<string, string>;
}

const INCOMING_TRACE = "0af7651916cd43dd8448eb211c80319c";
const INCOMING_SPAN = "b7ad6b7169203331";

describe("a real node:http server started from instrumented code", () => {
  let receiver: Receiver;
  let dir: string;
  beforeAll(() => {
    dir = instrumentedCopy(join(ROOT, "test/fixtures/service"), ["app.mjs"]);
  });
  afterAll(() => cleanup(dir));
  beforeEach(async () => {
    receiver = await startReceiver("accept");
  });
  afterEach(() => receiver.close());

  it("gives one trace per request in the Zipkin body and one readable request per flow group in the tree", async () => {
    const tree = join(dir, "tree.txt");
    const run = await runNodeAsync([join(dir, "main.mjs"), "8"], {
      FUNCTRACE: "on",
      FUNCTRACE_OUTPUT: tree,
      FUNCTRACE_EXPORTER: "zipkin",
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: receiver.url,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const results = JSON.parse(run.stdout) as { path: string; status: number; downstream: string }[];
    expect(results.map((r) => r.status)).toEqual([200, 200, 500, 200, 200, 200, 200, 200]);

    const spans = (receiver.bodies as ZipkinSpan[][]).flat();
    const validate = zipkinSpanValidator();
    for (const span of spans) expect(validate(span)).toEqual([]);
    // One server span per request (the downstream call made by /chain/2 is a 9th request).
    const servers = spans.filter((s) => s.kind === "SERVER");
    expect(servers).toHaveLength(9);
    const traces = new Set(servers.map((s) => s.traceId));
    expect(traces.size).toBe(8); // the downstream request continues its caller's trace
    // The request that came with a traceparent continues it.
    const continued = servers.find((s) => s.traceId === INCOMING_TRACE)!;
    expect(continued.parentId).toBe(INCOMING_SPAN);
    expect(continued.tags["http.request.method"]).toBe("GET");
    expect(continued.tags["url.path"]).toBe("/item/0");
    expect(servers.find((s) => s.tags["url.path"] === "/item/13")!.tags["http.response.status_code"]).toBe("500");
    // Every function span of a request is in that request's trace, under its server span.
    const byId = new Map(spans.map((s) => [s.id, s]));
    const handles = spans.filter((s) => s.name === "app.handle");
    expect(handles).toHaveLength(9);
    for (const handle of handles) {
      // handle runs from middleware's setImmediate callback: a flow of its own (depth 1 again),
      // linked to the flow it came from (its entry call, the request listener: the store is set
      // once per flow, not per call) and the server span, all in one trace.
      const chain: ZipkinSpan[] = [];
      for (let s: ZipkinSpan | undefined = handle; s !== undefined; s = s.kind === "SERVER" ? undefined : byId.get(s.parentId ?? "")) chain.push(s);
      expect(chain.map((s) => s.name)).toEqual([
        "app.handle",
        "app.middleware.<anonymous>@37",
        "app.start.<anonymous>@63",
        expect.stringMatching(/^GET \//),
      ]);
      const server = chain[3];
      expect(server.kind).toBe("SERVER");
      for (const s of chain) expect(s.traceId).toBe(server.traceId);
      expect(chain[2].tags["functrace.flow"]).toBe(server.tags["functrace.flow"]);
      expect(chain[1].tags["functrace.flow"]).not.toBe(chain[2].tags["functrace.flow"]);
      expect(chain[1].tags["functrace.depth"]).toBe("1");
      {
        // An async handle outlives the callback that called it: it moved to a flow of its own,
        // at depth 1 there; a synchronous one (/downstream) stays in the callback's flow, at depth 2.
        const sameFlow = handle.tags["functrace.flow"] === chain[1].tags["functrace.flow"];
        expect(handle.tags["functrace.depth"]).toBe(sameFlow ? "2" : "1");
      }
    }
    for (const s of spans.filter((x) => x.name === "app.loadItem" || x.name === "app.render" || x.name === "app.record")) {
      expect(traces.has(s.traceId)).toBe(true);
    }
    // The startup call is its own trace, not the parent of every request.
    const start = spans.find((s) => s.name === "app.start")!;
    expect(traces.has(start.traceId)).toBe(false);
    // The outgoing fetch carried the trace on: the downstream request is a child of the call that made it.
    const chain = results.find((r) => r.path === "/chain/2")!;
    const [, traceId, spanId] = chain.downstream.split("-");
    const downstream = servers.find((s) => s.tags["url.path"] === "/downstream/2")!;
    expect(downstream.traceId).toBe(traceId);
    expect(downstream.parentId).toBe(spanId);
    expect(byId.get(spanId)!.name).toBe("app.callDownstream");

    // The tree: each request's flows are marked with the request and its short trace id.
    const lines = readFileSync(tree, "utf8").trim().split("\n");
    assertFlowsNested(lines);
    const tagged = lines.filter((l) => /\[GET \/\S+ [0-9a-f]{8}\]/.test(l));
    for (const server of servers) {
      const mark = `[GET ${server.tags["url.path"]} ${server.traceId.slice(0, 8)}]`;
      expect(tagged.some((l) => l.includes(mark))).toBe(true);
    }
    // Depth stays bounded by real nesting: no request nests under another or under app.start.
    const depths = lines.map((l) => (/^g\[\d+\]:( *)/.exec(l)?.[1].length ?? 0) / 4);
    const deepest = lines[depths.indexOf(Math.max(...depths))];
    expect([Math.max(...depths), deepest.trim()]).toEqual([5, expect.stringMatching(/->app\.loadItem\.<anonymous>@|->app\.delay\.<anonymous>@/)]);
    // A thrown exception is marked on its exit line.
    expect(lines.some((l) => l.includes("<-app.loadItem !TypeError: item 13 is unlucky"))).toBe(true);
  });
});
