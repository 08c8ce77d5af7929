import { runCli } from "../../src/cli/main";
import type { CliContext } from "../../src/cli/context";

/** Runs the CLI in-process; `stdin` is the text standard input gives. */
export async function cli(argv: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const ctx: CliContext = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    stdin: (async function* () {
      yield Buffer.from(stdin);
    })(),
    code: 0,
  };
  const code = await runCli(argv, ctx);
  return { code, stdout, stderr };
}

/** A source of chunks, cut at arbitrary places (line reassembly across chunks). */
export async function* chunked(text: string, size = 7): AsyncIterable<Buffer> {
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}
