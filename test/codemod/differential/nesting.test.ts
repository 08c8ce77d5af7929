import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { instrumentText } from "../../../src/codemod/instrument.js";
import { assertFlowsNested } from "../../helpers/trace-harness.js";
import { assertNestedPerFlow, snapshotPackage } from "./helpers.js";

// Found by the marked and async differential runs: an async function whose promise is handed
// back un-awaited outlives the traced call that started it (marked's `parse(md, { async: true })`,
// async's asyncify). The printer then shows `<-caller` while the async callee is still open in
// the same flow, which breaks "one flow = one correctly nested chain". The codemod's wrappers are
// right (the instrumented program behaves the same); the runtime's flow rule has no answer for
// it at first. The runtime now hands such a call over to a new flow when its caller ends; this
// file checks that on a real instrumented program.
const DETACHED = `
function parent() { return (async () => { const x = await Promise.resolve(1); return leaf(x); })(); }
function leaf(x) { return x + 1; }
function main() { return parent(); }
main().then((v) => console.log(v));
`;
const AWAITED = `
async function parent() { const x = await Promise.resolve(1); return leaf(x); }
function leaf(x) { return x + 1; }
async function main() { return await parent(); }
main().then((v) => console.log(v));
`;
let dir: string;

function traceOf(source: string): string[] {
  const file = join(dir, `prog-${Math.random().toString(36).slice(2)}.js`);
  const trace = `${file}.trace`;
  writeFileSync(file, instrumentText(source, { fileName: "prog.js" }).text);
  const res = spawnSync(process.execPath, [file], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, FUNCTRACE: "on", FUNCTRACE_OUTPUT: trace },
  });
  expect({ status: res.status, stdout: res.stdout }).toEqual({ status: 0, stdout: "2\n" });
  return readFileSync(trace, "utf8")
    .split("\n")
    .filter((l) => l.length > 0);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "functrace-nesting-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(snapshotPackage(dir), join(dir, "node_modules", "functrace"), "dir");
}, 120_000);

afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe("trace nesting of async functions (FUNCTRACE=on)", () => {
  it("should nest an awaited async call chain in one flow", () => {
    const lines = traceOf(AWAITED);
    expect(lines.some((l) => l.endsWith("->prog.leaf"))).toBe(true);
    expect(() => assertFlowsNested(lines)).not.toThrow();
    expect(assertNestedPerFlow(lines)).toBeGreaterThan(0);
  });

  it("should judge traces like the shared harness (the linear check of the differential runs)", () => {
    const crossed = ["g[01]:    ->m.caller", "g[01]:        ->m.callee", "g[01]:    <-m.caller", "g[01]:        <-m.callee"];
    expect(() => assertFlowsNested(crossed)).toThrow(/does not close/);
    expect(() => assertNestedPerFlow(crossed)).toThrow(/does not close/);
    const bad = ["g[01]:    ->m.a", "g[01]:            ->m.b"];
    expect(() => assertFlowsNested(bad)).toThrow(/entered at depth 3 under m\.a@1/);
    expect(() => assertNestedPerFlow(bad)).toThrow(/entered at depth 3 under m\.a@1/);
    expect(() => assertNestedPerFlow(["g[02]:    ->m.a"])).toThrow(/unclosed m\.a/);
  });

  // The runtime hands such a call over to a new flow when its caller ends (docs/tracing.md).
  it("should nest an async function that outlives the traced call that started it", () => {
    expect(() => assertFlowsNested(traceOf(DETACHED))).not.toThrow();
  });
});
