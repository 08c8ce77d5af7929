import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "../../..");
// a script file, not `node -e`: -e itself loads node:crypto before the program runs
const scratch = mkdtempSync(join(tmpdir(), "functrace-ids-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Outcome {
  /** Values the program's own Math.random handed out (to functrace, since the program calls it never). */
  taken: number;
  spans: number;
  traces: number;
  crypto: boolean;
}

/**
 * 600 root calls exported (600 trace ids: two refills of the id pool), in a child process whose
 * Math.random is replaced before functrace loads or after; sampleRatio: each root flow sampled.
 */
function run(when: "before" | "after" | "never", sampleRatio?: number): Outcome {
  const script = `
    let taken = 0;
    const stub = () => { taken++; return 0.5; };
    if (${JSON.stringify(when)} === "before") Math.random = stub;
    const ft = require(${JSON.stringify(join(ROOT, "dist/cjs/index.js"))});
    if (${JSON.stringify(when)} === "after") Math.random = stub;
    const memory = new ft.MemorySpanExporter();
    ft.configure({ exporters: [memory], ...${JSON.stringify(sampleRatio === undefined ? {} : { sampleRatio })} });
    const root = ft.traced("ids.root", () => 1);
    for (let i = 0; i < 600; i++) root();
    ft.flush().then(() => console.log(JSON.stringify({
      taken, spans: memory.spans.length, traces: new Set(memory.spans.map((s) => s.traceId)).size,
      crypto: process.moduleLoadList.includes("NativeModule crypto"),
    })));
  `;
  const file = join(scratch, `${when}-${sampleRatio ?? 1}.cjs`);
  writeFileSync(file, script);
  const child = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 30_000, env: { ...process.env, FUNCTRACE: "", FUNCTRACE_EXPORTER: "" } });
  if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as Outcome;
}

// Trace ids come from V8's Math.random, taken when functrace loads: a program's stub or seeded
// generator must neither be consumed by functrace nor make every trace id the same.
describe("trace ids and a program's own Math.random", () => {
  it("a stub installed after functrace loaded hands functrace nothing; ids stay distinct", () => {
    expect(run("after")).toEqual({ taken: 0, spans: 600, traces: 600, crypto: false });
  });

  it("a generator installed before functrace loaded is left alone too: the ids come from node:crypto", () => {
    expect(run("before")).toEqual({ taken: 0, spans: 600, traces: 600, crypto: true });
  });

  it("an untouched Math.random: distinct ids, and node:crypto never loaded", () => {
    expect(run("never")).toEqual({ taken: 0, spans: 600, traces: 600, crypto: false });
  });

  it("root sampling draws from the same source: a stub installed later decides nothing", () => {
    const outcome = run("after", 0.5);
    expect(outcome.taken).toBe(0);
    // a stub's 0.5 would sample none (0.5 < 0.5 is false); V8's draws sample about half
    expect(outcome.spans).toBeGreaterThan(200);
    expect(outcome.spans).toBeLessThan(400);
    expect(outcome.traces).toBe(outcome.spans);
  });
});
