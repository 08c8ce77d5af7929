import { capMessage, echo } from "../attribute/index.js";

/** Where a config problem is: file, YAML document (1-based), line, resource and field path. */
export interface ConfigLocation {
  readonly file?: string;
  readonly document?: number;
  readonly line?: number;
  /** Resource kind (`rule`, `handler`, ...). */
  readonly kind?: string;
  /** Resource FQN, e.g. `stdio.rule.istio-system`. */
  readonly resource?: string;
  /** Field path inside the resource, e.g. `match`, `actions[0].handler`. */
  readonly field?: string;
}

/**
 * One config validation problem. `toString()` renders
 * `config/rules.yaml#3:12 rule='stdio.rule.istio-system'.match: unknown attribute request.pathx`
 * (`#document:line`, then the resource and the field path).
 */
export class ConfigError implements ConfigLocation {
  readonly file?: string;
  readonly document?: number;
  readonly line?: number;
  readonly kind?: string;
  readonly resource?: string;
  readonly field?: string;
  readonly message: string;

  constructor(loc: ConfigLocation, message: string) {
    this.file = loc.file;
    this.document = loc.document;
    this.line = loc.line;
    this.kind = loc.kind;
    this.resource = loc.resource === undefined ? undefined : echo(loc.resource);
    this.field = loc.field === undefined ? undefined : echo(loc.field);
    // Fragments of input are echoed (capped) where messages are made; this is the safety net.
    this.message = capMessage(message);
  }

  toString(): string {
    let where = this.file ?? "";
    if (this.document !== undefined) where += `#${this.document}`;
    if (this.line !== undefined) where += `:${this.line}`;
    let what = this.kind !== undefined && this.resource !== undefined ? `${this.kind}='${this.resource}'` : "";
    if (this.field) what += what ? `.${this.field}` : this.field;
    const head = [where, what].filter((s) => s !== "").join(" ");
    return head ? `${head}: ${this.message}` : this.message;
  }

  /** Plain object for JSON output. */
  toJSON(): Record<string, unknown> {
    return { file: this.file, document: this.document, line: this.line, kind: this.kind, resource: this.resource, field: this.field, message: this.message, text: this.toString() };
  }
}

/** Thrown in strict mode (and by the CLI) when a config has problems; `errors` lists them all. */
export class ConfigValidationError extends AggregateError {
  readonly configErrors: readonly ConfigError[];
  constructor(errors: readonly ConfigError[]) {
    super(errors.map((e) => new Error(e.toString())), `invalid config (${errors.length} problem${errors.length === 1 ? "" : "s"}):\n  ${errors.map(String).join("\n  ")}`);
    this.name = "ConfigValidationError";
    this.configErrors = errors;
  }
}

/** Renders a field path array: `["actions", 0, "handler"]` → `actions[0].handler`. */
export function formatFieldPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p)) out += out === "" ? p : `.${p}`;
    else out += `[${p}]`;
  }
  return out;
}
