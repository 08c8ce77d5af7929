import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { createTwoFilesPatch } from "diff";
import { SingleBar } from "cli-progress";
import { discover } from "./discover.js";
import { processFile, type FileResult, type TaskOptions } from "./run.js";
import { formatSummary } from "./report.js";
import { PackageInfoCache } from "./package-info.js";
import { startWriter } from "./write-behind.js";
import { planInParallel, threadsFor } from "./parallel.js";
import { CLI_NAME, DEFAULT_IMPORT_FROM } from "./markers.js";

/** Where the CLI reads and writes; injectable for tests. */
export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Show a progress bar (stderr is a terminal). */
  isTTY: boolean;
  /** What `--version` prints. */
  version?: string;
  /** Milliseconds since some fixed point, for the elapsed time in the summary (injectable for tests). */
  now?: () => number;
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
  defaultExcludes: boolean;
  jobs?: number;
}

const EXAMPLES = `
Examples:
  $ ${CLI_NAME} src/app.ts                 print the rewritten file
  $ ${CLI_NAME} -w src/                    rewrite every file under src/ in place
  $ ${CLI_NAME} --check src/               exit 1 when a file would change (CI)
  $ ${CLI_NAME} --diff --exclude '*.gen.ts' src/
  $ ${CLI_NAME} --remove -w src/           take the instrumentation out again
  $ ${CLI_NAME} -w .                       a package root: tests, benchmarks, fixtures, docs and examples are left out

Globs (--include, --exclude) use .gitignore syntax, matched against paths relative to the folder
given: '*.ts' matches at any depth, 'src/*.ts' only there, 'fixtures/' a folder.`;

const collect = (v: string, prev: string[] = []) => [...prev, v];

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("a whole number of threads, 1 or more");
  return n;
}

function program(io: CliIo): Command {
  return new Command()
    .name(CLI_NAME)
    .description("Inject functrace wrappers into every function (line-preserving, idempotent, reversible).")
    .argument("<paths...>", "files and folders (folders are walked recursively)")
    .option("-w, --write", "rewrite files in place")
    .option("--diff", "print a unified diff instead of the rewritten file")
    .addOption(new Option("--check", "exit 1 when any file would change (for CI)").conflicts(["write"]))
    .option("--remove", "take out exactly what functrace-gen injected")
    .option("--include <glob>", "only files matching this glob (.gitignore syntax, relative to the folder given; repeatable)", collect)
    .option("--exclude <glob>", "skip files matching this glob (.gitignore syntax, relative to the folder given; repeatable)", collect)
    .option("--no-default-excludes", "in a package root, also walk tests, benchmarks, fixtures, docs and examples")
    .option("--import-from <module>", "module the injected import names", DEFAULT_IMPORT_FROM)
    .addOption(new Option("--dry-run", "print the summary only; write nothing").conflicts(["diff"]))
    .addOption(new Option("--jobs <n>", "threads to plan files on (default: one per CPU for trees of 1 MiB or more, else 1)").argParser(positiveInt))
    .version(io.version ?? "unknown", "-V, --version")
    .addHelpText("after", EXAMPLES)
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
  const started = (io.now ?? Date.now)();
  const found = discover(cmd.args, { cwd: io.cwd, include: flags.include, exclude: flags.exclude, defaultExcludes: flags.defaultExcludes });
  if (found.missing.length > 0) return usage(io, `no such file or directory: ${found.missing.join(", ")}`);
  const toStdout = !flags.write && !flags.diff && !flags.check && !flags.dryRun;
  if (toStdout && found.files.length !== 1) {
    return usage(io, `${found.files.length} files found: printing to stdout needs exactly one; use -w, --diff, --check or --dry-run`);
  }
  const results = planAll(found.files, flags, io, toStdout);
  return finish(results, flags, io, toStdout, started);
}

function usage(io: CliIo, message: string): number {
  io.stderr(`${CLI_NAME}: ${message}\n`);
  return 2;
}

/**
 * Plan every file; on several threads when the tree is worth it (parallel.ts). There each thread
 * writes its changed files itself, so texts need not cross threads; on one thread a second one
 * writes them while planning goes on (write-behind.ts).
 */
function planAll(files: string[], flags: Flags, io: CliIo, toStdout: boolean): FileResult[] {
  const writes = !!flags.write && !flags.dryRun;
  const task: TaskOptions = { cwd: io.cwd, remove: !!flags.remove, importFrom: flags.importFrom, write: false, keepTexts: true };
  const bar = !toStdout && io.isTTY && files.length > 1 ? new SingleBar({ stream: process.stderr, clearOnComplete: true, format: `${CLI_NAME} [{bar}] {value}/{total} {file}` }) : undefined;
  bar?.start(files.length, 0, { file: "" });
  const done = (r: FileResult) => bar?.increment(1, { file: r.path });
  const threads = threadsFor(files, flags.jobs);
  let results: FileResult[];
  if (threads > 1) {
    results = planInParallel(files, { ...task, write: writes, keepTexts: toStdout || !!flags.diff }, threads, done);
  } else {
    const packages = new PackageInfoCache();
    const writer = writes ? startWriter(files.length) : undefined;
    results = files.map((file) => {
      const r = processFile(file, task, packages);
      if (writer !== undefined && r.status === "changed") writer.write(r);
      done(r);
      return r;
    });
    writer?.finish();
  }
  bar?.stop();
  return results;
}

function finish(results: FileResult[], flags: Flags, io: CliIo, toStdout: boolean, started: number): number {
  const writes = !!flags.write && !flags.dryRun;
  const verb = verbs(!!flags.remove, writes || toStdout);
  const summary = () => formatSummary(results, verb, (io.now ?? Date.now)() - started);
  if (toStdout) {
    const r = results[0];
    if (r.status !== "failed") io.stdout(r.after);
    io.stderr(summary());
    return r.status === "failed" ? 1 : 0;
  }
  const changed = results.filter((r) => r.status === "changed");
  if (flags.diff) for (const r of changed) io.stdout(createTwoFilesPatch(`a/${r.path}`, `b/${r.path}`, r.before, r.after));
  if (flags.check) for (const r of changed) io.stdout(`${r.path}: would change\n`);
  const out = flags.diff ? io.stderr : io.stdout;
  out(summary());
  const failed = results.some((r) => r.status === "failed");
  return failed || (flags.check && changed.length > 0) ? 1 : 0;
}

/** Honest verbs: what was done when files are written (or printed), what would be done otherwise. */
function verbs(remove: boolean, done: boolean): { done: string; functions: string } {
  if (remove) return done ? { done: "cleaned", functions: "uninstrumented" } : { done: "would be cleaned", functions: "would be uninstrumented" };
  return done ? { done: "changed", functions: "instrumented" } : { done: "would change", functions: "would be instrumented" };
}

/** Entry point for bin/functrace-gen.js. */
export function run(version?: string): void {
  process.exitCode = main(process.argv.slice(2), {
    version,
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: !!process.stderr.isTTY,
  });
}
