import { runNode } from "../helpers/run-node.js";
import { assertFlowsNested } from "../helpers/trace-harness.js";
import { startReceiver } from "../trace/export/receiver.js";
import { runNodeAsync } from "../helpers/instrumented-copy.js";

describe("examples", () => {
  it("go-parity: each flow is one correctly nested chain, as in the Go output", () => {
    const r = runNode(["examples/go-parity/main.mjs"], { FUNCTRACE: "on" });
    expect(r.status).toBe(0);
    const lines = r.stderr.trim().split("\n");
    const byFlow = assertFlowsNested(lines);
    const chains = [...byFlow.values()].map((flowLines) =>
      flowLines.filter((l) => l.includes("->")).map((l) => l.split("->")[1]),
    );
    expect(chains).toEqual([
      ["main.main", "main.A2", "main.B2", "main.C2", "main.D"],
      // The concurrent branch's first line says where it came from: flow 1, main.main.
      ["main.A1 <~ g[01] main.main", "main.B1", "main.C1", "main.D"],
    ]);
  });

  it("async demo: 100 concurrent chains, each flow correctly nested and complete", () => {
    const r = runNode(["examples/async-demo.mjs", "100"], { FUNCTRACE: "on" });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("async demo: 100 chains done\n");
    const lines = r.stderr.trim().split("\n");
    const byFlow = assertFlowsNested(lines);
    const requestFlows = [...byFlow.values()].filter((l) =>
      l.some((x) => x.includes("->demo.handleRequest")),
    );
    expect(requestFlows).toHaveLength(100);
    for (const flowLines of requestFlows) {
      const entered = flowLines.filter((l) => l.includes("->")).map((l) => l.split("->")[1]);
      // A request that started in main's own flow has no origin; the others came from main.
      const first = entered.findIndex((n) => n.startsWith("demo.handleRequest"));
      expect(["demo.handleRequest", "demo.handleRequest <~ g[01] demo.main"]).toContain(entered[first]);
      entered[first] = "demo.handleRequest";
      expect(entered.filter((n) => n !== "demo.main")).toEqual([
        "demo.handleRequest",
        "demo.fetchRecord",
        "demo.parseRecord",
        "demo.readStream",
        "demo.checksum",
        "demo.checksum",
        "demo.checksum",
        "demo.waitForEvent",
        "demo.notify",
      ]);
    }
  });
});

describe("demo:zipkin against a live receiver", () => {
  it("sends every span and reports it (it used to print nothing and exit 13)", async () => {
    const receiver = await startReceiver("accept");
    try {
      const run = await runNodeAsync(["examples/zipkin-demo.mjs", receiver.url, "20"], {});
      expect(run.code).toBe(0);
      const sent = receiver.bodies.flat().length;
      expect(sent).toBeGreaterThan(100);
      expect(run.stdout).toBe(`async demo: 20 chains done; ${sent} spans sent to ${receiver.url}, 0 dropped\n`);
    } finally {
      await receiver.close();
    }
  });
});
