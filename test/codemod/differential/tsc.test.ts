import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ROOT, listFiles, runCli, snapshotPackage } from "./helpers.js";
import { FILES } from "./tsc-project.js";

// Scale proof: typescript@5.9.3's lib/_tsc.js (6.2 MB, 134k lines, ~11k functions) instrumented
// with the CLI must still be the same compiler: on a small real project, the instrumented copy
// (FUNCTRACE=off) emits byte-identical files and prints the same diagnostics. `--remove` gives
// back the original bytes. About 35 s on the shared 2-core machine (two compiler runs, one
// instrumentation, one removal of a 6 MB file).
const TS = join(ROOT, "node_modules", "typescript-5.9.3");
let dir: string;
let cli: string;
let original: string;
let instrumented: string;
let summary: string;

interface Compiled {
  status: number | null;
  stdout: string;
  stderr: string;
  files: Map<string, Buffer>;
}

/** Run one compiler (its `lib/tsc.js`) in the project folder, emitting into out/<tag>. */
function compile(tsRoot: string, tag: string, args: string[]): Compiled {
  const project = join(dir, "project");
  const outDir = join(project, "out", tag);
  const res = spawnSync(
    process.execPath,
    [join(tsRoot, "lib", "tsc.js"), ...args, "--outDir", `out/${tag}`],
    {
      cwd: project,
      encoding: "utf8",
      env: { ...process.env, FUNCTRACE: "off" },
      timeout: 120_000,
    },
  );
  if (res.error) throw res.error;
  const files = new Map<string, Buffer>();
  for (const f of listFiles(outDir)) files.set(f, readFileSync(join(outDir, f)));
  rmSync(outDir, { recursive: true, force: true });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, files };
}

/** Compile with both compilers; same exit code, output and emitted bytes. Returns the diagnostics. */
function expectSameCompilation(args: string[], minFiles: number): string {
  const want = compile(original, "original", args);
  const got = compile(instrumented, "instrumented", args);
  expect({ status: got.status, stdout: got.stdout, stderr: got.stderr }).toEqual({
    status: want.status,
    stdout: want.stdout,
    stderr: want.stderr,
  });
  expect([...got.files.keys()]).toEqual([...want.files.keys()]);
  expect(want.files.size).toBeGreaterThanOrEqual(minFiles);
  const differing = [...want.files]
    .filter(([f, bytes]) => !bytes.equals(got.files.get(f) as Buffer))
    .map(([f]) => f);
  expect(differing).toEqual([]);
  return want.stdout;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "functrace-tsc-"));
  mkdirSync(join(dir, "node_modules"));
  const pkg = snapshotPackage(dir);
  cli = join(pkg, "bin", "functrace-gen.js");
  symlinkSync(pkg, join(dir, "node_modules", "functrace"), "dir");
  original = TS;
  instrumented = join(dir, "typescript");
  // The whole lib/ folder: the compiler reads its lib.*.d.ts files next to itself.
  cpSync(join(TS, "lib"), join(instrumented, "lib"), { recursive: true });
  cpSync(join(TS, "package.json"), join(instrumented, "package.json"));
  summary = runCli(cli, ["-w", "typescript/lib/_tsc.js"], dir);
  for (const [rel, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, "project", rel)), { recursive: true });
    writeFileSync(join(dir, "project", rel), text);
  }
}, 120_000);

afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe("typescript@5.9.3 lib/_tsc.js instrumented", () => {
  it("should instrument every function of the compiler", () => {
    expect(summary).toMatch(
      /^functrace-gen: 1 file: 1 changed, 0 unchanged, 0 skipped, 0 failed; \d+ functions instrumented/,
    );
    expect(Number(/; (\d+) functions instrumented/.exec(summary)?.[1])).toBeGreaterThan(10_000);
    const text = readFileSync(join(instrumented, "lib", "_tsc.js"), "utf8");
    expect(text.split("\n").length).toBe(
      readFileSync(join(original, "lib", "_tsc.js"), "utf8").split("\n").length,
    );
  });

  it("should compile a real project to the same bytes and diagnostics", () => {
    const diagnostics = expectSameCompilation(["-p", "."], 24);
    // The project has deliberate type errors: the comparison covers diagnostics, not just emit.
    expect(diagnostics).toMatch(/src\/broken\.ts\(3,14\): error TS2322/);
  }, 180_000);

  it("should give back the original bytes with --remove -w", () => {
    runCli(cli, ["--remove", "-w", "typescript/lib/_tsc.js"], dir);
    expect(
      readFileSync(join(instrumented, "lib", "_tsc.js")).equals(
        readFileSync(join(original, "lib", "_tsc.js")),
      ),
    ).toBe(true);
  }, 120_000);
});
