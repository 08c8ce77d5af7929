import { Command, CommanderError, Option } from "commander";
import { ExpressionError, EvaluationError } from "../expr/index.js";
import { ConfigValidationError } from "../config/errors.js";
import { evalCommand, runCommand, validateCommand, type CommandResult } from "./commands.js";
import { UsageError } from "./io.js";
import { serveCommand, type ServeFlags } from "../server/serve-command.js";

/**
 * `functrace-mixer` (in the spirit of Istio's mixc): validate config, evaluate an expression,
 * or run Report/Check/Quota once. Returns output and exit code instead of exiting
 * (0 ok, 1 config/evaluation/adapter errors, 2 usage errors).
 */
export async function runCli(argv: readonly string[]): Promise<CommandResult> {
  let result: CommandResult | undefined;
  let usage = "";
  const program = new Command("functrace-mixer")
    .description("Validate and exercise a Mixer-style config without a tracing runtime")
    .exitOverride()
    .configureOutput({ writeOut: (s) => (usage += s), writeErr: (s) => (usage += s) });
  program
    .command("validate")
    .description("validate YAML config files or folders")
    .argument("<config...>", "files or folders")
    .action((paths: string[]) => void (result = validateCommand(paths)));
  program
    .command("eval")
    .description("evaluate an expression; prints value, type and referenced attributes as JSON")
    .argument("<expression>")
    .requiredOption("--attributes <json|file>", "attribute values as JSON or a JSON file")
    .option("--manifest <file...>", "attributemanifest YAML files (added to the built-ins)", [])
    .action((expr: string, o: { attributes: string; manifest: string[] }) => void (result = evalCommand(expr, o.attributes, o.manifest)));
  for (const verb of ["report", "check", "quota"] as const) {
    const cmd = program
      .command(verb)
      .description(`run ${verb} once and print what adapters received and returned`)
      .requiredOption("--config <path...>", "config files or folders")
      .requiredOption("--attributes <json|file>", "attribute values as JSON or a JSON file")
      .addOption(new Option("--timeout <ms>", "per handler call timeout").argParser(positiveInt).default(5000));
    if (verb === "quota") cmd.requiredOption("--quota <name>", "quota name").option("--amount <n>", "amount", positiveInt, 1).option("--best-effort", "grant what is available");
    cmd.action(async (o: { config: string[]; attributes: string; timeout: number; quota?: string; amount?: number; bestEffort?: boolean }) => {
      result = await runCommand(verb, { config: o.config, attributes: o.attributes, quota: o.quota, amount: o.amount, bestEffort: o.bestEffort, timeoutMs: o.timeout });
    });
  }
  program
    .command("serve")
    .description("serve istio.mixer.v1.Mixer (Check, Report) over gRPC until SIGTERM/SIGINT; loopback only unless a token or TLS client certificates are set")
    .requiredOption("--config <path...>", "config files or folders (watched)")
    .option("--address <host:port>", "where to listen", "127.0.0.1:9091")
    .option("--token-file <file>", "shared secret clients send as 'authorization: Bearer <token>' (or FUNCTRACE_MIXER_TOKEN)")
    .option("--tls-cert <file>", "TLS certificate (PEM)")
    .option("--tls-key <file>", "TLS private key (PEM)")
    .option("--tls-client-ca <file>", "require client certificates signed by this CA (PEM)")
    .option("--metrics-address <host:port>", "the server's own metrics (GET /metrics); '' for none", "127.0.0.1:15014")
    .addOption(new Option("--max-message-bytes <n>", "largest request").argParser(positiveInt))
    .addOption(new Option("--max-elements <n>", "most words and map entries per request").argParser(positiveInt))
    .addOption(new Option("--max-calls-per-second <n>", "rate limit over all clients (0: none)").argParser(nonNegativeInt))
    .addOption(new Option("--max-in-flight <n>", "calls in progress at once").argParser(positiveInt))
    .addOption(new Option("--shutdown-timeout <ms>", "wait for calls in flight on shutdown").argParser(nonNegativeInt))
    .option("--no-watch", "do not reload the config when its files change")
    .option("--verbose", "log info lines (config reloads)")
    .action(async (o: ServeFlags) => void (result = await serveCommand(o)));
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    return fromError(e, usage);
  }
  return result ?? { stdout: usage, stderr: "", code: 0 };
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`expected a positive integer, got '${v}'`);
  return n;
}

function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`expected an integer >= 0, got '${v}'`);
  return n;
}

function fromError(e: unknown, usage: string): CommandResult {
  if (e instanceof CommanderError) {
    const ok = e.exitCode === 0;
    return ok ? { stdout: usage, stderr: "", code: 0 } : { stdout: "", stderr: usage || `${e.message}\n`, code: 2 };
  }
  if (e instanceof UsageError) return { stdout: "", stderr: `error: ${e.message}\n`, code: 2 };
  if (e instanceof ConfigValidationError) return { stdout: "", stderr: `${e.configErrors.map(String).join("\n")}\n`, code: 1 };
  if (e instanceof ExpressionError || e instanceof EvaluationError) return { stdout: "", stderr: `error: ${e.message}\n`, code: 1 };
  return { stdout: "", stderr: `error: ${(e as Error)?.message ?? String(e)}\n`, code: 1 };
}

/** Entry point for the bin shim: runs, prints, sets the exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const r = await runCli(argv);
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.stderr) process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
