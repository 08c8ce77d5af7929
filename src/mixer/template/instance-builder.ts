import { ValueType, valueTypeName, type AttributeDescriptorFinder, type Bag, type Value } from "../attribute/index.js";
import { compileExpression, type CompiledExpression, type ReferencedAttributes } from "../expr/index.js";
import type { Instance, InstanceTypes } from "../adapter/types.js";
import { isPlainObject } from "../adapter/params.js";
import type { FieldSpec, TemplateInfo } from "./types.js";
import { generateBuilder, type BuildFn, type BuilderField, type BuilderMap } from "./builder-codegen.js";

/** A problem found while compiling an instance; `path` is relative to the instance `params`. */
export interface FieldProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Thrown by `CompiledInstance.build` when a field fails: the whole instance is dropped. */
export class InstanceBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InstanceBuildError";
  }
}

/** An instance whose field expressions are compiled once per snapshot. */
export interface CompiledInstance {
  readonly fqn: string;
  readonly template: TemplateInfo;
  /** Inferred field types, as passed to adapter builders. */
  readonly types: InstanceTypes;
  /** Evaluates every field against `bag` (recording reads into `refs`). Throws InstanceBuildError on the first failing field. */
  build(bag: Bag, refs?: ReferencedAttributes): Instance;
}

type ScalarField = BuilderField;
type MapEntry = BuilderField;
type MapField = BuilderMap;

const ZERO: Partial<Record<ValueType, Value>> = { [ValueType.STRING]: "", [ValueType.INT64]: 0n, [ValueType.DOUBLE]: 0, [ValueType.BOOL]: false };

/**
 * Compiles an instance's `params` against its template (§5.2): every field expression is
 * type-checked; a concrete field type must match exactly, `Value` fields record the inferred
 * type. Unknown params are errors. Returns undefined when any problem was found.
 */
export function compileInstance(
  fqn: string,
  template: TemplateInfo,
  params: Record<string, unknown>,
  finder: AttributeDescriptorFinder,
  problems: FieldProblem[],
): CompiledInstance | undefined {
  const n0 = problems.length;
  const byKey = new Map<string, FieldSpec>();
  for (const f of template.fields) byKey.set(f.protoName, f).set(f.name, f);
  const given = new Map<FieldSpec, [string, unknown]>();
  for (const [k, v] of Object.entries(params)) {
    const spec = byKey.get(k);
    if (spec === undefined) problems.push({ path: [k], message: unknownField(template) });
    else given.set(spec, [k, v]);
  }
  const scalars: ScalarField[] = [];
  const maps: MapField[] = [];
  const types: Record<string, ValueType | Record<string, ValueType>> = {};
  for (const spec of template.fields) {
    const [key, raw] = given.get(spec) ?? [spec.protoName, undefined];
    if (spec.map) maps.push(compileMap(spec, key, raw, finder, types, problems));
    else scalars.push(compileScalar(spec, key, raw, finder, types, problems));
  }
  if (problems.length > n0) return undefined;
  return { fqn, template, types, build: makeBuilder(fqn, scalars, maps) };
}

function unknownField(t: TemplateInfo): string {
  const names = t.fields.map((f) => f.protoName);
  return names.length === 0 ? `template '${t.name}' has no fields` : `unknown field for template '${t.name}' (fields: ${names.join(", ")})`;
}

function compileScalar(
  spec: FieldSpec,
  key: string,
  raw: unknown,
  finder: AttributeDescriptorFinder,
  types: Record<string, ValueType | Record<string, ValueType>>,
  problems: FieldProblem[],
): ScalarField {
  const zero = spec.type === "VALUE" ? undefined : ZERO[spec.type];
  const text = exprText(raw, [key], problems);
  if (text === undefined || text.trim() === "") {
    types[spec.name] = spec.type === "VALUE" ? ValueType.VALUE_TYPE_UNSPECIFIED : spec.type;
    return { name: spec.name, label: spec.protoName, expr: undefined, zero };
  }
  const expr = compileTyped(text, spec, [key], finder, problems);
  types[spec.name] = expr?.type ?? ValueType.VALUE_TYPE_UNSPECIFIED;
  return { name: spec.name, label: spec.protoName, expr, zero };
}

function compileMap(
  spec: FieldSpec,
  key: string,
  raw: unknown,
  finder: AttributeDescriptorFinder,
  types: Record<string, ValueType | Record<string, ValueType>>,
  problems: FieldProblem[],
): MapField {
  const entries: MapEntry[] = [];
  const entryTypes: Record<string, ValueType> = {};
  types[spec.name] = entryTypes;
  if (raw === undefined || raw === null) return { name: spec.name, entries };
  if (!isPlainObject(raw)) {
    problems.push({ path: [key], message: "expected a map of name to expression" });
    return { name: spec.name, entries };
  }
  for (const [k, v] of Object.entries(raw)) {
    const text = exprText(v, [key, k], problems);
    if (text === undefined) continue;
    const expr = compileTyped(text, spec, [key, k], finder, problems);
    if (expr === undefined) continue;
    entries.push({ name: k, label: `${spec.protoName}[${k}]`, expr, zero: undefined });
    entryTypes[k] = expr.type;
  }
  return { name: spec.name, entries };
}

/** YAML numbers and booleans are accepted and turned into expression text. */
function exprText(raw: unknown, path: (string | number)[], problems: FieldProblem[]): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "string") return raw;
  if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
  problems.push({ path, message: `expected an expression string, got ${Array.isArray(raw) ? "a list" : typeof raw}` });
  return undefined;
}

function compileTyped(
  text: string,
  spec: FieldSpec,
  path: (string | number)[],
  finder: AttributeDescriptorFinder,
  problems: FieldProblem[],
): CompiledExpression | undefined {
  let expr: CompiledExpression;
  try {
    expr = compileExpression(text, finder);
  } catch (e) {
    problems.push({ path, message: (e as Error).message });
    return undefined;
  }
  if (spec.type !== "VALUE" && expr.type !== spec.type) {
    const msg = `instance field type mismatch: expected='${valueTypeName(spec.type)}', actual='${valueTypeName(expr.type)}', expression='${text}'`;
    problems.push({ path, message: msg });
    return undefined;
  }
  return expr;
}

/** The generated builder (one object literal per instance), or the generic one when codegen is unavailable. */
function makeBuilder(fqn: string, scalars: readonly ScalarField[], maps: readonly MapField[]): BuildFn {
  const fail = (label: string, e: unknown): never => {
    throw new InstanceBuildError(`evaluation failed at [${fqn}]'${label}': '${(e as Error).message}'`);
  };
  return generateBuilder(fqn, scalars, maps, fail) ?? makeGenericBuilder(fqn, scalars, maps);
}

/** Reference builder: same output and errors as the generated one, property by property. */
export function makeGenericBuilder(fqn: string, scalars: readonly ScalarField[], maps: readonly MapField[]): BuildFn {
  return (bag, refs) => {
    const out: Record<string, unknown> = { name: fqn };
    for (let i = 0; i < scalars.length; i++) {
      const s = scalars[i];
      out[s.name] = s.expr === undefined ? s.zero : evalField(s.expr, bag, refs, fqn, s.label);
    }
    for (let i = 0; i < maps.length; i++) {
      const m = maps[i];
      const o: Record<string, Value> = {};
      for (let j = 0; j < m.entries.length; j++) {
        const e = m.entries[j];
        const v = e.expr === undefined ? e.zero : evalField(e.expr, bag, refs, fqn, e.label);
        Object.defineProperty(o, e.name, { value: v, enumerable: true, writable: true, configurable: true });
      }
      out[m.name] = o;
    }
    return out as Instance;
  };
}

function evalField(expr: CompiledExpression, bag: Bag, refs: ReferencedAttributes | undefined, fqn: string, label: string): Value {
  try {
    return expr.evaluate(bag, refs) as Value;
  } catch (e) {
    throw new InstanceBuildError(`evaluation failed at [${fqn}]'${label}': '${(e as Error).message}'`);
  }
}
