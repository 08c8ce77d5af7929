import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findChains, formatChains, nameMatcher } from "../../src/cli/chains";
import { readChromeLines } from "../../src/cli/read-chrome";
import { readTreeLines } from "../../src/cli/read-tree";
import { FLAG_UNFINISHED } from "../../src/cli/model";
import { chunked, cli } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "functrace-cli-"));
const write = (name: string, text: string | Buffer): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** A Chrome file as the exporter writes it: one event per line, children before parents. */
function chrome(events: object[], close = true): string {
  const meta = { name: "process_name", ph: "M", ts: 0, pid: 1, tid: 0, args: { name: "t" } };
  return "[" + [meta, ...events].map((e) => JSON.stringify(e)).join(",\n") + (close ? "\n]\n" : "");
}
const span = (name: string, id: string, parent: string | undefined, tid: number, ts: number, dur: number, extra: Record<string, unknown> = {}) => ({
  name,
  cat: "function",
  ph: "X",
  ts,
  dur,
  pid: 1,
  tid,
  args: { span_id: id, depth: 1, ...(parent ? { parent_id: parent } : {}), file: "file:///app/x.mjs:3", ...extra },
});

describe("chains on hand-made Chrome traces", () => {
  const events = [
    span("D", "d1", "c1", 2, 10, 5),
    span("C1", "c1", "a1", 2, 9, 7),
    span("A1", "a1", "m", 2, 8, 9),
    span("D", "d2", "c2", 1, 30, 50, { error: "TypeError: boom" }),
    span("D", "d3", "c2", 1, 90, 20),
    span("C2", "c2", "m", 1, 20, 100),
    span("main", "m", undefined, 1, 0, 200),
  ];

  it("follows parent ids across flows, counts, sums, finds the slowest and the errors", async () => {
    const model = await readChromeLines("t.json", chunked(chrome(events)));
    const r = findChains(model, "D");
    expect(r.rows.map((x) => x.names.join(" > "))).toEqual(["main > C2 > D", "main > A1 > C1 > D"]);
    expect(r.rows[0]).toMatchObject({ calls: 2, threw: 1, total: 70, slowest: 50 });
    expect(r.rows[1]).toMatchObject({ calls: 1, threw: 0, total: 5 });
    expect(r.commonRoot).toEqual(["main"]);
    const text = formatChains(model, r);
    expect(text).toContain("D: 3 calls in 2 chains, all from main (t.json)");
    expect(text).toMatch(/2\s+1\s+70\.0µs\s+50\.0µs\s+g\[01\]\s+C2 → D\n/);
    expect(text).toMatch(/1\s+0\s+5\.0µs\s+5\.0µs\s+g\[02\]\s+A1 → C1 → D\n/);
  });

  it("--threw and --slowest select calls", async () => {
    const model = await readChromeLines("t.json", chunked(chrome(events)));
    expect(findChains(model, "D", { threw: true }).rows.map((x) => x.calls)).toEqual([1]);
    const slow = findChains(model, "D", { slowest: 2 });
    expect(slow.selected.map((i) => model.dur[i])).toEqual([50, 20]);
    expect(formatChains(model, slow)).toContain("the 2 slowest calls:");
    expect(formatChains(model, slow)).toContain("!TypeError: boom");
  });

  it("accepts a file without its closing ] (a run cut short) and the whole-JSON layouts", async () => {
    const cut = await readChromeLines("t.json", chunked(chrome(events, false)));
    expect(cut.count).toBe(7);
    const whole = await readChromeLines("t.json", chunked(JSON.stringify({ traceEvents: events })));
    expect(findChains(whole, "D").rows).toHaveLength(2);
    const pretty = await readChromeLines("t.json", chunked(JSON.stringify(events, null, 2)));
    expect(pretty.count).toBe(7);
  });

  it("nests spans of other tools' files (no span ids) by time", async () => {
    const plain = [
      { name: "outer", ph: "X", ts: 0, dur: 100, pid: 1, tid: 1 },
      { name: "inner", ph: "X", ts: 10, dur: 10, pid: 1, tid: 1 },
      { name: "leaf", ph: "X", ts: 12, dur: 1, pid: 1, tid: 1 },
    ];
    const model = await readChromeLines("p.json", chunked(JSON.stringify(plain)));
    expect(findChains(model, "leaf").rows[0].names).toEqual(["outer", "inner", "leaf"]);
  });
});

describe("chains on hand-made tree text", () => {
  it("continues a flow's chain in the flow that spawned it (<~ origin), open or already returned", async () => {
    const tree = [
      "g[01]:    ->main.main",
      "g[01]:        ->main.A2",
      "g[02]:        ->main.A1 <~ g[01] main.main", // spawned while main.main is open
      "g[02]:            ->main.D",
      "g[02]:            <-main.D 12.0µs",
      "g[02]:        <-main.A1",
      "g[01]:            ->main.D",
      "g[01]:            <-main.D 1.500ms !TypeError: bad",
      "g[01]:        <-main.A2",
      "g[01]:    <-main.main",
      "g[03]:    ->main.timer <~ g[01] main.main", // a callback after main.main returned
      "g[03]:        ->main.D",
      "g[03]:        <-main.D 2.00s",
      "g[03]:    <-main.timer",
    ].join("\n");
    const model = await readTreeLines("t.txt", chunked(tree + "\n", 5));
    const r = findChains(model, "D", { full: true });
    expect(r.rows.map((x) => [x.names.join(" > "), x.calls, x.threw, x.total])).toEqual([
      ["main.main > main.A1 > main.D", 1, 0, 12],
      ["main.main > main.A2 > main.D", 1, 1, 1500],
      ["main.main > main.timer > main.D", 1, 0, 2_000_000],
    ]);
  });

  it("moves handed-off calls to their new flow, keeps their callers, reads [pid] prefixes and requests", async () => {
    const tree = [
      "[7] g[01]:    ->app.start",
      "[7] g[01]:    <-app.start",
      "[7] g[03]:    ->app.listener [GET /items/3 4bf92f35] <~ g[01] app.start",
      "[7] g[03]:        ->app.handle",
      "[7] g[03]:            ->app.loadItem",
      "[7] g[03]:                ->db.query",
      "[7] g[03]:                <-db.query ~> g[04]",
      "[7] g[03]:            <-app.loadItem ~> g[04]",
      "[7] g[04]:            ->app.loadItem <~ g[03] app.handle",
      "[7] g[04]:                ->db.query <~ g[03]",
      "[7] g[03]:        <-app.handle",
      "[7] g[03]:    <-app.listener",
      "[7] g[04]:                <-db.query !Error: down",
      "[7] g[04]:            <-app.loadItem !Error: down",
      "[8] g[01]:    ->app.start",
      "[8] g[01]:        ->db.query",
    ].join("\n");
    const model = await readTreeLines("t.txt", chunked(tree));
    const r = findChains(model, "db.query", { full: true });
    expect(r.rows.map((x) => [x.names.join(" > "), x.calls, x.threw])).toEqual([
      ["app.listener > app.handle > app.loadItem > db.query", 1, 1],
      ["app.start > db.query", 1, 0],
    ]);
    expect(model.flows.find((f) => f.id === 3)?.traceId).toBe("4bf92f35");
    const text = formatChains(model, r);
    expect(text).toContain("[7] g[03] 4bf92f35");
    const unfinished = r.rows[1].example;
    expect(model.flags[unfinished] & FLAG_UNFINISHED).toBe(FLAG_UNFINISHED);
  });

  it("matches names, globs and regular expressions", () => {
    expect(nameMatcher("D")("main.D")).toBe(true);
    expect(nameMatcher("D")("main.DD")).toBe(false);
    expect(nameMatcher("main.?2")("main.A2")).toBe(true);
    expect(nameMatcher("orders.*")("orders.get.x")).toBe(true);
    expect(nameMatcher("/^a|b$/")("xb")).toBe(true);
    expect(() => nameMatcher("/(/")).toThrow(/invalid pattern/);
  });
});

describe("bad input: a clear error naming the file and line, in bounded time", () => {
  it("a Chrome file cut inside an event", async () => {
    const text = chrome([span("D", "d1", undefined, 1, 0, 1), span("E", "e1", undefined, 1, 0, 1)], false);
    const file = write("cut.json", text.slice(0, text.length - 25));
    const r = await cli(["chains", "D", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`functrace: ${file}:3: the file ends inside a trace event (cut short?)\n`);
  });

  it("a broken event in the middle of a Chrome file", async () => {
    const lines = chrome([span("D", "d1", undefined, 1, 0, 1), span("E", "e1", undefined, 1, 0, 1)]).split("\n");
    lines[1] = lines[1].slice(0, 20) + "},";
    const r = await cli(["chains", "D", write("mid.json", lines.join("\n"))]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/mid\.json:2: not a JSON trace event: /);
  });

  it("a JSON file that is not a trace", async () => {
    const r = await cli(["chains", "D", write("obj.json", '{\n  "a": [1,\n  2,,\n]}')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/obj\.json:3: not a Chrome trace file: /);
  });

  it("garbage text", async () => {
    const r = await cli(["chains", "D", write("junk.txt", "hello\nworld\n")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`functrace: ${join(dir, "junk.txt")}:1: not a functrace tree line (expected "g[NN]:    ->name"), nor a Chrome trace: "hello"\n`);
  });

  it("megabytes of binary garbage, with and without newlines", async () => {
    const noisy = Buffer.alloc(8 << 20);
    for (let i = 0; i < noisy.length; i++) noisy[i] = (i * 2654435761) >>> 24 || 1;
    const t0 = performance.now();
    const r = await cli(["chains", "D", write("bin.dat", noisy)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bin\.dat:\d+: (not a functrace tree line|line longer than)/);
    const flat = await cli(["chains", "D", write("flat.dat", Buffer.alloc(3 << 20, 0x41))]);
    expect(flat.stderr).toMatch(/flat\.dat:1: line longer than 1048576 bytes: not a functrace recording/);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it("a missing file, an empty file, bad options", async () => {
    expect((await cli(["chains", "D", join(dir, "nope.json")])).stderr).toBe(`functrace: ${join(dir, "nope.json")}: no such file\n`);
    expect((await cli(["chains", "D", write("empty.txt", "")])).stderr).toMatch(/empty\.txt: empty input/);
    const bad = await cli(["chains", "D", "--slowest", "0", write("x.txt", "g[01]:    ->D\n")]);
    expect(bad.code).toBe(2);
    expect((await cli(["nosuch"])).code).toBe(2);
  });

  it("no call matches: exit 1, says so", async () => {
    const r = await cli(["chains", "Zed", "-"], "g[01]:    ->main.D\ng[01]:    <-main.D\n");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('functrace chains: no call matches "Zed" in <stdin> (1 spans)\n');
  });

  it("program output mixed into the tree is skipped and counted", async () => {
    const r = await cli(["chains", "D", "-"], "listening on 8080\ng[01]:    ->main.D\ng[01]:    <-main.D\n");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("functrace: skipped 1 line(s) that are not tree lines (first: <stdin>:1)\n");
  });
});
