import { typeOfValue, valueTypeName, type AttributeDescriptorFinder, type Value, type ValueType } from "../attribute/index.js";
import { isPlainObject } from "../adapter/params.js";
import type { FieldProblem } from "./instance-builder.js";

/** One `attributeBindings` entry: generator output field → attribute. */
export interface AttributeBinding {
  readonly attribute: string;
  readonly field: string;
  readonly type: ValueType;
}

const OUT_RE = /^\s*(?:\$out|output)\.([A-Za-z_][A-Za-z0-9_]*)\s*$/;

/**
 * Parses `attributeBindings` (`attr: output.field`): the target attribute must be declared
 * in the manifests; the output field's value is type-checked against it when generated.
 */
export function compileBindings(raw: unknown, finder: AttributeDescriptorFinder, problems: FieldProblem[]): AttributeBinding[] {
  const out: AttributeBinding[] = [];
  if (raw === undefined) return out;
  if (!isPlainObject(raw)) {
    problems.push({ path: [], message: "expected a map of attribute name to 'output.<field>'" });
    return out;
  }
  for (const [attribute, expr] of Object.entries(raw)) {
    const d = finder.getAttribute(attribute);
    const m = typeof expr === "string" ? OUT_RE.exec(expr) : null;
    if (d === undefined) problems.push({ path: [attribute], message: `unknown attribute ${attribute}` });
    else if (m === null) problems.push({ path: [attribute], message: `expected 'output.<field>', got ${JSON.stringify(expr)}` });
    else out.push({ attribute, field: m[1], type: d.valueType });
  }
  return out;
}

/** Applies bindings to generator output; returns the attribute values and per-binding errors. */
export function applyBindings(
  bindings: readonly AttributeBinding[],
  output: Record<string, Value>,
): { values: [string, Value][]; errors: string[] } {
  const values: [string, Value][] = [];
  const errors: string[] = [];
  for (const b of bindings) {
    const v = output[b.field];
    if (v === undefined) continue;
    const t = typeOfValue(v);
    // EMAIL/URI/DNS_NAME attributes are strings at run time.
    const ok = t === b.type || (t === 1 && (b.type === 7 || b.type === 8 || b.type === 9));
    if (ok) values.push([b.attribute, v]);
    else errors.push(`output.${b.field} is ${valueTypeName(t)} but attribute '${b.attribute}' is ${valueTypeName(b.type)}`);
  }
  return { values, errors };
}
