import { Duration, ValueType, type Bag, type Value } from "../attribute/index.js";
import type { CompiledExpression, ReferencedAttributes } from "../expr/index.js";
import type { Instance } from "../adapter/types.js";

/** One field of an instance as the builder sees it (compiled once per snapshot). */
export interface BuilderField {
  /** Instance property name (camelCase). */
  readonly name: string;
  /** Label used in build errors (`dimensions[fn]`, `value`). */
  readonly label: string;
  /** `undefined` ⇒ the field takes `zero`. */
  readonly expr: CompiledExpression | undefined;
  readonly zero: Value | undefined;
}

/** A map-valued field: its entries are evaluated in order into a fresh object. */
export interface BuilderMap {
  readonly name: string;
  readonly entries: readonly BuilderField[];
}

/** Builds an instance from a bag; throws InstanceBuildError (via `fail`) on the first failing field. */
export type BuildFn = (bag: Bag, refs?: ReferencedAttributes) => Instance;

type Eval = (bag: Bag, refs: ReferencedAttributes | undefined) => Value;
type Fail = (label: string, error: unknown) => never;

/**
 * Generates a builder whose instance is ONE object literal with constant keys, so V8
 * allocates every instance (and each map) with a fixed shape in a single step. Adding
 * properties one by one through computed keys costs ~200 ns per metric instance (a shape
 * transition per key through a megamorphic keyed store); the literal costs ~30 ns.
 * Evaluation order and output key order equal the generic builder's: `name`, scalars,
 * maps, each in template/config order. Returns undefined when code generation from
 * strings is disallowed (`--disallow-code-generation-from-strings`); the caller then uses
 * the generic builder.
 */
export function generateBuilder(fqn: string, scalars: readonly BuilderField[], maps: readonly BuilderMap[], fail: Fail): BuildFn | undefined {
  const evals: Eval[] = [];
  const zeros: (Value | undefined)[] = [];
  const labels: string[] = [];
  const value = (f: BuilderField): string => {
    if (f.expr === undefined) {
      zeros.push(f.zero);
      return `z[${zeros.length - 1}]`;
    }
    evals.push(f.expr.evaluate as Eval);
    labels.push(f.label);
    const i = evals.length - 1;
    const direct = directRead(f.expr);
    if (direct !== undefined) return `(at = ${i}, (v = bag.get(${JSON.stringify(direct.name)}), refs === undefined && ${direct.check}) ? v : e${i}(bag, refs))`;
    return `(at = ${i}, e${i}(bag, refs))`;
  };
  const props = [`name: fqn`];
  for (const s of scalars) props.push(`${key(s.name)}: ${value(s)}`);
  for (const m of maps) props.push(`${key(m.name)}: {${m.entries.map((e) => `${key(e.name)}: ${value(e)}`).join(", ")}}`);
  const locals = evals.map((_, i) => `const e${i} = ev[${i}];`).join("\n");
  // The fqn comment gives each instance its own compiled function (and type feedback),
  // so the evaluator calls stay monomorphic and inlinable.
  // Only safe characters in the comment: a line terminator (\n, \u2028, …) would end it.
  const body = `// ${fqn.replace(/[^\w.@-]/g, "_")}
${locals}
return function build(bag, refs) {
  let at = -1;
  let v;
  try {
    return {${props.join(", ")}};
  } catch (error) {
    return fail(labels[at], error);
  }
};`;
  try {
    let factory = FACTORIES.get(body);
    if (factory === undefined) {
      factory = new Function("fqn", "ev", "z", "labels", "fail", "Duration", body) as Factory;
      if (FACTORIES.size >= MAX_FACTORIES) FACTORIES.clear();
      FACTORIES.set(body, factory);
    }
    return factory(fqn, evals, zeros, labels, fail, Duration);
  } catch {
    return undefined;
  }
}

type Factory = (fqn: string, ev: Eval[], z: (Value | undefined)[], labels: string[], fail: Fail, duration: typeof Duration) => BuildFn;

/** An attribute name the expression text can be, and the builder source can hold as a literal. */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** Run-time kind checks of the compiled evaluator (compile.ts kindCheck), as source. */
const CHECKS: Partial<Record<ValueType, string>> = {
  [ValueType.STRING]: `typeof v === "string"`,
  [ValueType.DNS_NAME]: `typeof v === "string"`,
  [ValueType.EMAIL_ADDRESS]: `typeof v === "string"`,
  [ValueType.URI]: `typeof v === "string"`,
  [ValueType.INT64]: `typeof v === "bigint"`,
  [ValueType.DOUBLE]: `typeof v === "number"`,
  [ValueType.BOOL]: `typeof v === "boolean"`,
  [ValueType.DURATION]: `v instanceof Duration`,
};

/**
 * A field that is a plain attribute reference (`span.name`) reads the bag in the generated code:
 * no evaluator frames (the var closure and its kind check, shared by every expression, so
 * megamorphic). Only the outcome the evaluator would return unchanged takes that path: a present
 * value of the declared kind, with no `refs` to record into; anything else (absent, wrong kind,
 * recording) calls the evaluator, which then behaves, throws and records exactly as before.
 */
function directRead(expr: CompiledExpression): { name: string; check: string } | undefined {
  const name = expr.text.trim();
  if (!PLAIN_NAME.test(name) || expr.attributes.length !== 1 || expr.attributes[0] !== name) return undefined;
  const check = CHECKS[expr.type];
  return check === undefined ? undefined : { name, check };
}

/**
 * Generated factories by source text, shared by every snapshot and dispatcher: a config loaded
 * again (a reload, a new dispatcher with the same instances) gets builders whose type feedback
 * and optimised code are already there, instead of running cold through the interpreter again.
 * Everything that differs between snapshots (evaluators, zeros) is an argument, not source.
 */
const FACTORIES = new Map<string, Factory>();
/** Bound on {@link FACTORIES} (distinct instance shapes); past it the cache starts over. */
const MAX_FACTORIES = 1000;

/** An object-literal key: always a quoted string; `__proto__` computed so it stays an own property. */
function key(name: string): string {
  const quoted = JSON.stringify(name);
  return name === "__proto__" ? `[${quoted}]` : quoted;
}
