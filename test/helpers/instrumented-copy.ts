import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { ROOT } from "./run-node.js";

/**
 * Copies a fixture folder into a temporary folder inside the repository (so that `functrace`
 * resolves to this package by its own name), instrumenting the files named in `instrument`
 * with the built codemod, as `functrace-gen -w` would. Returns the folder; remove it with `cleanup`.
 */
export function instrumentedCopy(fixture: string, instrument: string[]): string {
  // The built codemod (dist/), like a user's `npx functrace-gen`.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { instrumentText } = require(join(ROOT, "dist/cjs/codemod/index.js")) as typeof import("../../src/codemod/index.js");
  const base = join(ROOT, "tmp");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, "fixture-"));
  for (const name of readdirSync(fixture)) {
    const text = readFileSync(join(fixture, name), "utf8");
    const out = instrument.includes(name) ? instrumentText(text, { fileName: join(dir, name), displayPath: name }).text : text;
    writeFileSync(join(dir, name), out);
  }
  return dir;
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Runs node asynchronously (the test process may host a receiver the child talks to). */
export function runNodeAsync(
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string; timeoutMs?: number; onSpawn?: (pid: number) => void; onStdout?: (stdoutSoFar: string) => void } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, FUNCTRACE: "", FUNCTRACE_OUTPUT: "", FUNCTRACE_EXPORTER: "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      options.onStdout?.(stdout);
    });
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("spawn", () => options.onSpawn?.(child.pid!));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}
