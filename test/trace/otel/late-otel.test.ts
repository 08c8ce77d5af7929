import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = join(__dirname, "../../..");

interface Result {
  loadedBefore: boolean;
  spans: { name: string; traceId: string; parentId?: string }[];
  parent: { traceId: string; spanId: string };
}

// In a child process on the build: require.cache there shows what native export loaded.
describe("native export and an application that starts OpenTelemetry later", () => {
  let result: Result;
  beforeAll(async () => {
    if (!existsSync(join(root, "dist/cjs/index.js"))) throw new Error("dist/ is missing: run `npm run build` first");
    const env = { ...process.env, FUNCTRACE: "", FUNCTRACE_EXPORTER: "" };
    const { stdout } = await run(process.execPath, [join(__dirname, "fixtures/late-otel.cjs")], { cwd: root, env, timeout: 20_000 });
    result = JSON.parse(stdout) as Result;
  });

  it("loads no OpenTelemetry package for Zipkin export while the application registers none", () => {
    expect(result.loadedBefore).toBe(false);
    const before = result.spans.find((s) => s.name === "late.before")!;
    expect(before.parentId).toBeUndefined();
  });

  it("bridges once the application registers OpenTelemetry: a function span nests under its active span", () => {
    const after = result.spans.find((s) => s.name === "late.after")!;
    expect(after.traceId).toBe(result.parent.traceId);
    expect(after.parentId).toBe(result.parent.spanId);
  });
});
