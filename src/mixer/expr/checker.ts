/**
 * Type checker (ast.Expression.EvalType) plus the checks Mixer only made during code
 * generation ("internal compiler error -- ..."), folded in so validation reports them.
 */
import { echo, ValueType, valueTypeName, type AttributeDescriptorFinder } from "../attribute/index.js";
import { nodeToString, type ExprNode, type FnNode } from "./ast.js";
import { ExpressionError } from "./errors.js";
import { FUNCTIONS } from "./functions.js";
import { compileRegex } from "./externs.js";

/** Mixer IL type names used in its compiler messages. */
function ilTypeName(t: ValueType): string {
  switch (t) {
    case ValueType.STRING:
    case ValueType.EMAIL_ADDRESS:
    case ValueType.DNS_NAME:
    case ValueType.URI:
      return "string";
    case ValueType.BOOL:
      return "bool";
    case ValueType.INT64:
      return "integer";
    case ValueType.DOUBLE:
      return "double";
    case ValueType.DURATION:
      return "duration";
    default:
      return "interface";
  }
}

const EQ_OK = new Set<ValueType>([
  ValueType.STRING, ValueType.INT64, ValueType.DOUBLE, ValueType.BOOL, ValueType.TIMESTAMP,
  ValueType.IP_ADDRESS, ValueType.DNS_NAME, ValueType.EMAIL_ADDRESS, ValueType.URI,
]);
const ORDER_OK = new Set<ValueType>([ValueType.STRING, ValueType.INT64, ValueType.DOUBLE, ValueType.TIMESTAMP]);
const ADD_OK = new Set<ValueType>([ValueType.STRING, ValueType.INT64, ValueType.DOUBLE]);
const ORDER_WORDS: Readonly<Record<string, string>> = {
  LT: "less than",
  LEQ: "less or equal",
  GT: "greater than",
  GEQ: "greater or equal",
};

/** Types already inferred, per node: each node is checked once (linear in the expression's size). */
export type TypeMemo = Map<ExprNode, ValueType>;

/**
 * Infers the type of `n`; throws ExpressionError with Mixer's messages. Pass the same
 * `memo` to later calls (the compiler does) so no sub-expression is checked twice:
 * without it a `+` chain re-checked its left operand per term and doubled per term.
 */
export function inferType(n: ExprNode, finder: AttributeDescriptorFinder, src: string, memo: TypeMemo = new Map()): ValueType {
  if (n.kind === "const") return n.type;
  const known = memo.get(n);
  if (known !== undefined) return known;
  let t: ValueType;
  if (n.kind === "var") {
    const d = finder.getAttribute(n.name);
    if (!d) throw new ExpressionError(`unknown attribute ${echo(n.name)}`, src, n.pos);
    t = d.valueType;
  } else {
    t = inferFunction(n, finder, src, memo);
    checkCodegen(n, finder, src, memo);
  }
  memo.set(n, t);
  return t;
}

function inferFunction(fn: FnNode, finder: AttributeDescriptorFinder, src: string, memo: TypeMemo): ValueType {
  const err = (m: string): never => {
    throw new ExpressionError(m, src, fn.pos);
  };
  const md = FUNCTIONS.get(fn.name);
  if (!md) return err(`unknown function: ${echo(fn.name)}`);
  let tmpl = ValueType.VALUE_TYPE_UNSPECIFIED;
  if (fn.target) {
    if (!md.instance) err(`invoking regular function on instance method: ${fn.name}`);
    const tt = inferType(fn.target, finder, src, memo);
    if (md.targetType === ValueType.VALUE_TYPE_UNSPECIFIED) tmpl = tt;
    else if (tt !== md.targetType) {
      err(`${echo(nodeToString(fn))} target typeError got ${valueTypeName(tt)}, expected ${valueTypeName(md.targetType)}`);
    }
  } else if (md.instance) err(`invoking instance method without an instance: ${fn.name}`);
  const want = md.argumentTypes;
  // TS: extra arguments are rejected too (Mixer's checker let them through).
  if (fn.args.length !== want.length) {
    err(`${echo(nodeToString(fn))} arity mismatch. Got ${fn.args.length} arg(s), expected ${want.length} arg(s)`);
  }
  for (let i = 0; i < want.length; i++) {
    const at = inferType(fn.args[i]!, finder, src, memo);
    let expected = want[i]!;
    if (expected === ValueType.VALUE_TYPE_UNSPECIFIED) {
      if (tmpl === ValueType.VALUE_TYPE_UNSPECIFIED) {
        tmpl = at;
        continue;
      }
      expected = tmpl;
    }
    if (at !== expected) {
      err(`${echo(nodeToString(fn))} arg ${i + 1} (${echo(nodeToString(fn.args[i]!))}) typeError got ${valueTypeName(at)}, expected ${valueTypeName(expected)}`);
    }
  }
  return md.returnType === ValueType.VALUE_TYPE_UNSPECIFIED ? tmpl : md.returnType;
}

/** Combinations that type-check but that Mixer's code generator rejected. */
function checkCodegen(fn: FnNode, finder: AttributeDescriptorFinder, src: string, memo: TypeMemo): void {
  const ice = (what: string, t: ValueType, stricter: boolean): never => {
    // For string-backed types Mixer compiled a plain string operation; we reject them
    // (spec §3.3/§3.5) and name the value type so the message is actionable.
    const name = stricter ? valueTypeName(t) : ilTypeName(t);
    throw new ExpressionError(`internal compiler error -- ${what} for type not yet implemented: ${name}`, src, fn.pos);
  };
  const argType = (): ValueType => inferType(fn.args[0]!, finder, src, memo);
  const stringLike = (t: ValueType): boolean => t === ValueType.DNS_NAME || t === ValueType.EMAIL_ADDRESS || t === ValueType.URI;
  switch (fn.name) {
    case "EQ":
    case "NEQ": {
      const t = argType();
      if (!EQ_OK.has(t)) ice("equality", t, false);
      return;
    }
    case "LT":
    case "LEQ":
    case "GT":
    case "GEQ": {
      const t = argType();
      if (!ORDER_OK.has(t)) ice(ORDER_WORDS[fn.name]!, t, stringLike(t));
      return;
    }
    case "ADD": {
      const t = argType();
      if (!ADD_OK.has(t)) ice("Add", t, stringLike(t));
      return;
    }
    case "matches":
      checkConstantPattern(fn, src);
      return;
    case "size": {
      const t = argType();
      if (t !== ValueType.STRING) ice("Size", t, stringLike(t));
      return;
    }
  }
}

/** A constant `matches()` pattern is compiled now: bad RE2 syntax is a located config error. */
function checkConstantPattern(fn: FnNode, src: string): void {
  const t = fn.target;
  if (t?.kind !== "const" || typeof t.value !== "string") return;
  try {
    compileRegex(t.value);
  } catch (e) {
    throw new ExpressionError(`${(e as Error).message} (in the pattern at 1:${(t.pos ?? 0) + 1})`, src, t.pos);
  }
}
