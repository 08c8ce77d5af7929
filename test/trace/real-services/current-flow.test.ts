import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { configure, currentFlow, traced, getSinks, type FlowInfo } from "../../../src/trace/index.js";
import { S } from "../../../src/trace/state.js";

/** currentFlow() works whenever tracing is on, printer or not, and gives the trace id (log correlation). */
describe("currentFlow() for log correlation", () => {
  beforeEach(() => {
    S.cursor.cur = null;
    configure({ enabled: true });
  });
  afterEach(() => configure({ enabled: false }));

  it("works with no printer and no exporter once tracing is enabled", () => {
    expect(getSinks()).toHaveLength(0);
    let inside: FlowInfo | undefined;
    const outer = traced("cf.outer", () => traced("cf.inner", () => (inside = currentFlow()))());
    outer();
    expect(inside).toMatchObject({ name: "cf.inner", depth: 2 });
    expect(inside!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(currentFlow()).toBeUndefined();
  });

  it("gives the request's trace inside a handler, continuing an incoming traceparent", async () => {
    const seen: (FlowInfo | undefined)[] = [];
    const handle = traced("cf.handle", (_req: unknown, res: { end(s: string): void }) => {
      seen.push(currentFlow());
      res.end("ok");
    });
    const server = createServer((req, res) => {
      seen.push(currentFlow()); // no traced call yet: the request itself
      handle(req, res);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/orders/7?secret=1`, {
        headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
      });
      await res.text();
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
    expect(seen[0]).toMatchObject({ traceId: "0af7651916cd43dd8448eb211c80319c", request: { method: "GET", path: "/orders/7" } });
    expect(seen[1]).toMatchObject({ name: "cf.handle", depth: 1, traceId: "0af7651916cd43dd8448eb211c80319c" });
  });
});
