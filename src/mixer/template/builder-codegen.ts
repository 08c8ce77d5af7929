import type { Bag, Value } from "../attribute/index.js";
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
  try {
    return {${props.join(", ")}};
  } catch (error) {
    return fail(labels[at], error);
  }
};`;
  try {
    let factory = FACTORIES.get(body);
    if (factory === undefined) {
      factory = new Function("fqn", "ev", "z", "labels", "fail", body) as Factory;
      if (FACTORIES.size >= MAX_FACTORIES) FACTORIES.clear();
      FACTORIES.set(body, factory);
    }
    return factory(fqn, evals, zeros, labels, fail);
  } catch {
    return undefined;
  }
}

type Factory = (fqn: string, ev: Eval[], z: (Value | undefined)[], labels: string[], fail: Fail) => BuildFn;

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
