import { spawnSync } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(__dirname, "..", "..");

/** Runs a node script from the repository root with extra env; returns its output. */
export function runNode(args: string[], env: Record<string, string> = {}, timeout = 60_000) {
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, FUNCTRACE: "", FUNCTRACE_OUTPUT: "", ...env },
    encoding: "utf8",
    timeout,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
