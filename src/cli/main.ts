import { Command, CommanderError } from "commander";
import { chainsCommand } from "./commands/chains.js";
import { viewCommand } from "./commands/view.js";
import { renderCommand } from "./commands/render.js";
import { UsageError, type CliCommand, type CliContext } from "./context.js";
import { TraceInputError } from "./model.js";

/** The subcommands of `functrace`, in help order. Adding one is one line here. */
export const COMMANDS: readonly CliCommand[] = [chainsCommand, viewCommand, renderCommand];

/** Runs `functrace <command> ...` and returns the exit code (0 ok, 1 bad input, 2 usage). */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const program = new Command("functrace")
    .description("Read functrace recordings (Chrome trace files, the tree text): causal chains and a self-contained viewer")
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.stdout(s), writeErr: (s) => ctx.stderr(s) });
  for (const command of COMMANDS) command.register(program, ctx);
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) {
      ctx.stderr(`functrace: ${e.message}\n`);
      return 2;
    }
    if (e instanceof TraceInputError) {
      ctx.stderr(`functrace: ${e.message}\n`);
      return 1;
    }
    ctx.stderr(`functrace: ${(e as Error)?.message ?? String(e)}\n`);
    return 1;
  }
  return ctx.code;
}

/** Entry point of bin/functrace.js. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const ctx: CliContext = {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    stdin: process.stdin,
    code: 0,
  };
  process.exitCode = await runCli(argv, ctx);
}
