import type { Command } from "commander";

/** Where a command writes and reads: the process's streams, or buffers in tests. */
export interface CliContext {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly stdin: AsyncIterable<Buffer | string>;
  /** The exit code (0 unless a command sets it). */
  code: number;
}

/**
 * One subcommand of `functrace`. A command file exports one of these; `main.ts` lists them, so
 * adding a command is one line there.
 */
export interface CliCommand {
  readonly name: string;
  /** Adds the subcommand (arguments, options, action) to the program. */
  register(program: Command, ctx: CliContext): void;
}

/** A wrong option value or argument: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Parses a positive integer option. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`expected a positive integer, got '${value}'`);
  return n;
}
