/**
 * Rule header operations (`requestHeaderOperations` / `responseHeaderOperations`, spec
 * §4.4, §6.6): validated and compiled with the rule; evaluated by Check, which returns
 * them as a route directive for an embedder (or a server) to apply.
 */
import { echo, ValueType, valueTypeName, type AttributeDescriptorFinder } from "../attribute/index.js";
import { compileExpression, type CompiledExpression } from "../expr/index.js";
import type { ConfigError } from "./errors.js";
import { errorAt, type Resource } from "./resource.js";
import { isPlainObject } from "../adapter/params.js";

/** `HeaderOperation.Operation` of mixer.proto: REPLACE = 0, REMOVE = 1, APPEND = 2. */
export type HeaderOperationKind = "REPLACE" | "REMOVE" | "APPEND";

/** Which header list an operation goes to. */
export type HeaderTarget = "request" | "response";

/** One compiled operation: a literal header name and one value expression (REMOVE: none). */
export interface HeaderOperationConfig {
  readonly target: HeaderTarget;
  readonly name: string;
  readonly operation: HeaderOperationKind;
  /** `undefined` for REMOVE. */
  readonly value: CompiledExpression | undefined;
}

const KINDS: readonly HeaderOperationKind[] = ["REPLACE", "REMOVE", "APPEND"];
const STRINGY = new Set([ValueType.STRING, ValueType.DNS_NAME, ValueType.EMAIL_ADDRESS, ValueType.URI]);
/** RFC 7230 token (header field name). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Spec keys of a rule that hold header operations, with the list they feed. */
export const HEADER_FIELDS: Readonly<Record<string, HeaderTarget>> = {
  requestHeaderOperations: "request",
  request_header_operations: "request",
  responseHeaderOperations: "response",
  response_header_operations: "response",
};

/** Reads every header operation of rule `r`; problems are located under `spec.<field>[i]`. */
export function readHeaderOperations(r: Resource, finder: AttributeDescriptorFinder, errors: ConfigError[]): HeaderOperationConfig[] {
  const out: HeaderOperationConfig[] = [];
  for (const [field, target] of Object.entries(HEADER_FIELDS)) {
    const raw = r.spec[field];
    if (raw === undefined) continue;
    if (!Array.isArray(raw)) {
      errors.push(errorAt(r.source, r, ["spec", field], "header operations must be a list"));
      continue;
    }
    raw.forEach((op: unknown, i: number) => readOne(r, field, i, op, target, finder, errors, out));
  }
  return out;
}

function readOne(
  r: Resource,
  field: string,
  i: number,
  op: unknown,
  target: HeaderTarget,
  finder: AttributeDescriptorFinder,
  errors: ConfigError[],
  out: HeaderOperationConfig[],
): void {
  const at = (path: (string | number)[], msg: string): void => void errors.push(errorAt(r.source, r, ["spec", field, i, ...path], msg));
  if (!isPlainObject(op)) return at([], "a header operation must be an object with name, values and operation");
  for (const k of Object.keys(op)) if (!["name", "values", "operation"].includes(k)) at([k], "unknown field (allowed: name, values, operation)");
  const name = typeof op.name === "string" ? op.name : "";
  if (name === "") at(["name"], "header name is required");
  else if (!HEADER_NAME.test(name)) at(["name"], `invalid header name '${echo(name)}'`);
  const operation = readKind(op.operation);
  if (operation === undefined) at(["operation"], "operation must be REPLACE, REMOVE or APPEND (or 0, 1, 2)");
  const values = op.values === undefined ? [] : op.values;
  if (!Array.isArray(values)) return at(["values"], "values must be a list of expressions");
  if (operation !== "REMOVE" && values.length === 0) at(["values"], `${operation ?? "REPLACE"} needs at least one value expression`);
  const compiled: CompiledExpression[] = [];
  values.forEach((v: unknown, j: number) => {
    const text = typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
    if (text === undefined) return at(["values", j], "a value must be an expression string");
    try {
      const e = compileExpression(text, finder);
      if (STRINGY.has(e.type)) compiled.push(e);
      else at(["values", j], `header value expression must return a string, got ${valueTypeName(e.type)}`);
    } catch (e) {
      at(["values", j], (e as Error).message);
    }
  });
  if (name === "" || !HEADER_NAME.test(name) || operation === undefined || compiled.length !== values.length) return;
  if (operation === "REMOVE") out.push({ target, name, operation, value: undefined });
  for (const value of compiled) if (operation !== "REMOVE") out.push({ target, name, operation, value });
}

function readKind(v: unknown): HeaderOperationKind | undefined {
  if (v === undefined) return "REPLACE";
  if (typeof v === "number") return KINDS[v];
  if (typeof v === "string") return KINDS.find((k) => k === v.toUpperCase());
  return undefined;
}
