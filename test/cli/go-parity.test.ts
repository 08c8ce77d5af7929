import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runNode } from "../helpers/run-node";
import { cli } from "./helpers";

// The Go article's demo, run for real: its Chrome file and its tree both give exactly two chains.
describe("functrace chains on the Go-parity demo", () => {
  const dir = mkdtempSync(join(tmpdir(), "functrace-goparity-"));
  const chromeFile = join(dir, "go-parity.trace.json");
  const treeFile = join(dir, "go-parity.txt");
  beforeAll(() => {
    const r = runNode(["examples/go-parity/main.mjs"], {
      FUNCTRACE: "on",
      FUNCTRACE_OUTPUT: treeFile,
      FUNCTRACE_DURATIONS: "1",
      FUNCTRACE_EXPORTER: "chrome",
      FUNCTRACE_CHROME_FILE: chromeFile,
    });
    expect(r.status).toBe(0);
  });

  const chainLines = (stdout: string): string[] =>
    stdout
      .split("\n")
      .slice(2)
      .filter((l) => l !== "")
      .map((l) => l.split(/\s{2,}/).pop()!);

  it.each([
    ["the Chrome file", () => chromeFile],
    ["the tree text", () => treeFile],
  ])("%s: main.D was in A1 → B1 → C1 → D and A2 → B2 → C2 → D, both from main.main", async (_what, file) => {
    const r = await cli(["chains", "D", file()]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe(`main.D: 2 calls in 2 chains, all from main.main (${file()})`);
    expect(lines[1]).toMatch(/^calls\s+threw\s+total\s+slowest\s+example\s+chain$/);
    expect(lines[2]).toMatch(/^\s+1\s+0\s+\d+\.\d+(µs|ms)\s+\d+\.\d+(µs|ms)\s+g\[02\]\s+main\.A1 → main\.B1 → main\.C1 → main\.D$/);
    expect(lines[3]).toMatch(/^\s+1\s+0\s+\d+\.\d+(µs|ms)\s+\d+\.\d+(µs|ms)\s+g\[01\]\s+main\.A2 → main\.B2 → main\.C2 → main\.D$/);
    expect(chainLines(r.stdout)).toEqual(["main.A1 → main.B1 → main.C1 → main.D", "main.A2 → main.B2 → main.C2 → main.D"]);
  });

  it("--full shows the root; the tree from standard input gives the same chains", async () => {
    const full = await cli(["chains", "main.D", chromeFile, "--full"]);
    expect(chainLines(full.stdout)).toEqual(["main.main → main.A1 → main.B1 → main.C1 → main.D", "main.main → main.A2 → main.B2 → main.C2 → main.D"]);
    const piped = await cli(["chains", "D"], readFileSync(treeFile, "utf8"));
    expect(chainLines(piped.stdout)).toEqual(["main.A1 → main.B1 → main.C1 → main.D", "main.A2 → main.B2 → main.C2 → main.D"]);
  });

  it("--json", async () => {
    const r = await cli(["chains", "D", chromeFile, "--json"]);
    const json = JSON.parse(r.stdout);
    expect(json.chains.map((c: { chain: string[] }) => c.chain.join(">"))).toEqual(["main.main>main.A1>main.B1>main.C1>main.D", "main.main>main.A2>main.B2>main.C2>main.D"]);
    expect(json.chains[0]).toMatchObject({ calls: 1, threw: 0, example: { flow: "g[02]", traceId: null } });
  });
});
