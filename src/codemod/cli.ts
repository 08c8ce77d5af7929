import { Command, CommanderError } from "commander";
import { createTwoFilesPatch } from "diff";
import { SingleBar } from "cli-progress";
import { discover } from "./discover.js";
import { planFile, type FileResult } from "./run.js";
import { formatSummary } from "./report.js";
import { writeFileAtomic } from "./write-file.js";
import { PackageInfoCache } from "./package-info.js";
import { CLI_NAME, DEFAULT_IMPORT_FROM } from "./markers.js";

/** Where the CLI reads and writes; injectable for tests. */
export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Show a progress bar (stderr is a terminal). */
  isTTY: boolean;
}

interface Flags {
  write?: boolean;
  diff?: boolean;
  check?: boolean;
  remove?: boolean;
  dryRun?: boolean;
  include?: string[];
  exclude?: string[];
  importFrom: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

function program(io: CliIo): Command {
  return new Command()
    .name(CLI_NAME)
    .description("Inject functrace wrappers into every function (line-preserving, idempotent, reversible).")
    .argument("<paths...>", "files and folders (folders are walked recursively)")
    .option("-w, --write", "rewrite files in place")
    .option("--diff", "print a unified diff instead of the rewritten file")
    .option("--check", "exit 1 when any file would change (for CI)")
    .option("--remove", "take out exactly what functrace-gen injected")
    .option("--include <glob>", "only files matching this glob (repeatable)", collect)
    .option("--exclude <glob>", "skip files matching this glob (repeatable)", collect)
    .option("--import-from <module>", "module the injected import names", DEFAULT_IMPORT_FROM)
    .option("--dry-run", "print the summary only; write nothing")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
}

/** Run the command line; returns the exit code (0 done, 1 some files failed or would change, 2 usage error). */
export function main(argv: string[], io: CliIo): number {
  let cmd: Command;
  try {
    cmd = program(io).parse(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const flags = cmd.opts<Flags>();
  const found = discover(cmd.args, { cwd: io.cwd, include: flags.include, exclude: flags.exclude });
  if (found.missing.length > 0) return usage(io, `no such file or directory: ${found.missing.join(", ")}`);
  const toStdout = !flags.write && !flags.diff && !flags.check && !flags.dryRun;
  if (toStdout && found.files.length !== 1) {
    return usage(io, `${found.files.length} files found: printing to stdout needs exactly one; use -w, --diff, --check or --dry-run`);
  }
  const results = planAll(found.files, flags, io, !toStdout);
  return finish(results, flags, io, toStdout);
}

function usage(io: CliIo, message: string): number {
  io.stderr(`${CLI_NAME}: ${message}\n`);
  return 2;
}

function planAll(files: string[], flags: Flags, io: CliIo, progress: boolean): FileResult[] {
  const packages = new PackageInfoCache();
  const bar = progress && io.isTTY && files.length > 1 ? new SingleBar({ stream: process.stderr, clearOnComplete: true, format: `${CLI_NAME} [{bar}] {value}/{total} {file}` }) : undefined;
  bar?.start(files.length, 0, { file: "" });
  const results: FileResult[] = [];
  for (const file of files) {
    const r = planFile(file, { cwd: io.cwd, remove: !!flags.remove, importFrom: flags.importFrom }, packages);
    results.push(r);
    bar?.increment(1, { file: r.path });
  }
  bar?.stop();
  return results;
}

function finish(results: FileResult[], flags: Flags, io: CliIo, toStdout: boolean): number {
  const verb = flags.remove ? { done: "cleaned", functions: "uninstrumented" } : { done: "changed", functions: "instrumented" };
  if (toStdout) {
    const r = results[0];
    if (r.status !== "failed") io.stdout(r.after);
    io.stderr(formatSummary(results, verb));
    return r.status === "failed" ? 1 : 0;
  }
  const changed = results.filter((r) => r.status === "changed");
  if (flags.diff) for (const r of changed) io.stdout(createTwoFilesPatch(`a/${r.path}`, `b/${r.path}`, r.before, r.after));
  if (flags.write && !flags.dryRun) writeAll(changed);
  if (flags.check) for (const r of changed) io.stdout(`${r.path}: would change\n`);
  const out = flags.diff ? io.stderr : io.stdout;
  out(formatSummary(results, verb));
  const failed = results.some((r) => r.status === "failed");
  return failed || (flags.check && changed.length > 0) ? 1 : 0;
}

function writeAll(changed: FileResult[]): void {
  for (const r of changed) {
    try {
      writeFileAtomic(r.abs, r.after);
    } catch (err) {
      r.status = "failed";
      r.reason = `${r.path}: cannot write: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}

/** Entry point for bin/functrace-gen.js. */
export function run(): void {
  process.exitCode = main(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: !!process.stderr.isTTY,
  });
}
