import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, describeDifferential } from "./helpers.js";

// marked: the ESM bundle (one 2,000-line file of minified-style code) and its CLI.
const sandbox = describeDifferential("marked differential", {
  source: join(ROOT, "node_modules", "marked"),
  workload: "marked.mjs",
  traceSlice: 30,
  mention: /->marked\.esm\.\S+\.parse$/,
  minFunctions: 300,
  minCases: 1_500,
});

describe("marked differential (CLI)", () => {
  const cli = (pkg: string, args: string[]) => {
    const res = spawnSync(process.execPath, [join(pkg, "bin", "marked.js"), ...args], {
      encoding: "utf8",
      env: { ...process.env, FUNCTRACE: "off" },
    });
    return { status: res.status, stdout: res.stdout, stderr: res.stderr };
  };

  it.each([
    [["-i", "README.md"]],
    [["-i", "README.md", "--no-gfm", "--breaks"]],
    [["-s", "# *hi* there", "--tokens"]],
    [["--bogus-flag", "-i", "missing.md"]],
  ])("should print the same for marked %j", (args) => {
    const sb = sandbox();
    const fix = (a: string[]) => (pkg: string) => a.map((x) => (x.endsWith(".md") ? join(pkg, x) : x));
    const want = cli(sb.original, fix(args)(sb.original));
    const got = cli(sb.instrumented, fix(args)(sb.instrumented));
    expect({ ...got, stderr: got.stderr.split(sb.instrumented).join("<pkg>") }).toEqual({
      ...want,
      stderr: want.stderr.split(sb.original).join("<pkg>"),
    });
    expect(want.stdout.length + want.stderr.length).toBeGreaterThan(0);
  });
});
