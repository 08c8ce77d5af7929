/**
 * Compiles a checked Mixer AST into closures, once. `ev` evaluates strictly (absent
 * attribute ⇒ EvaluationError); `tryEv` is the "has a value?" mode used by `|`
 * operands and returns undefined instead (§3.4).
 */
import {
  formatValue,
  IpAddress,
  StringMap,
  Timestamp,
  Duration,
  ValueType,
  type AttributeDescriptorFinder,
  type Bag,
  type Value,
} from "../attribute/index.js";
import type { ExprNode, FnNode, VarNode } from "./ast.js";
import { inferType, type TypeMemo } from "./checker.js";
import { EvaluationError } from "./errors.js";
import { compileFunction } from "./compile-functions.js";
import type { ReferencedAttributes } from "./referenced.js";

export type Refs = ReferencedAttributes | undefined;
export type Ev = (bag: Bag, refs: Refs) => Value;
export type TryEv = (bag: Bag, refs: Refs) => Value | undefined;

/** Compilation context shared by the node compilers. */
export interface Ctx {
  readonly finder: AttributeDescriptorFinder;
  readonly src: string;
  compile(n: ExprNode): Ev;
  compileTry(n: ExprNode): TryEv;
  typeOf(n: ExprNode): ValueType;
}

/** Builds the strict evaluator for `root` (already type-checked with `memo`, which is reused). */
export function compileNode(root: ExprNode, finder: AttributeDescriptorFinder, src: string, memo: TypeMemo = new Map()): Ev {
  const ctx: Ctx = {
    finder,
    src,
    compile: (n) => compileStrict(n, ctx),
    compileTry: (n) => compileTry(n, ctx),
    typeOf: (n) => inferType(n, finder, src, memo),
  };
  return ctx.compile(root);
}

function compileStrict(n: ExprNode, ctx: Ctx): Ev {
  if (n.kind === "const") {
    const v = n.value;
    return () => v;
  }
  if (n.kind === "var") return compileVar(n, ctx);
  if (n.name === "OR") return compileOr(n, ctx);
  if (n.name === "INDEX") return compileIndex(n, ctx);
  return compileFunction(n, ctx);
}

function compileTry(n: ExprNode, ctx: Ctx): TryEv {
  if (n.kind === "var") {
    const name = n.name;
    const check = kindCheck(ctx.finder.getAttribute(name)!.valueType);
    const isMap = ctx.finder.getAttribute(name)!.valueType === ValueType.STRING_MAP;
    return (bag, refs) => {
      const v = bag.get(name);
      if (v === undefined) {
        refs?.recordAttribute(name, false);
        return undefined;
      }
      if (!isMap) refs?.recordAttribute(name, true);
      check(v);
      return v;
    };
  }
  if (n.kind === "fn" && n.name === "OR") {
    const ops = flattenOr(n).map((o) => ctx.compileTry(o));
    return (bag, refs) => {
      for (const op of ops) {
        const v = op(bag, refs);
        if (v !== undefined) return v;
      }
      return undefined;
    };
  }
  if (n.kind === "fn" && n.name === "INDEX") return compileIndexTry(n, ctx);
  return ctx.compile(n);
}

function compileVar(n: VarNode, ctx: Ctx): Ev {
  const name = n.name;
  const type = ctx.finder.getAttribute(name)!.valueType;
  const check = kindCheck(type);
  const isMap = type === ValueType.STRING_MAP;
  return (bag, refs) => {
    const v = bag.get(name);
    if (v === undefined) {
      refs?.recordAttribute(name, false);
      throw new EvaluationError(`lookup failed: '${name}'`);
    }
    // Maps are tracked per key (§2.4), not as a whole.
    if (!isMap) refs?.recordAttribute(name, true);
    check(v);
    return v;
  };
}

/** `a | b | c` chains flatten (both sides), left to right. */
function flattenOr(n: ExprNode): ExprNode[] {
  if (n.kind === "fn" && n.name === "OR") return [...flattenOr(n.args[0]!), ...flattenOr(n.args[1]!)];
  return [n];
}

function compileOr(n: FnNode, ctx: Ctx): Ev {
  const ops = flattenOr(n);
  const tries = ops.slice(0, -1).map((o) => ctx.compileTry(o));
  const last = ctx.compile(ops[ops.length - 1]!);
  return (bag, refs) => {
    for (const t of tries) {
      const v = t(bag, refs);
      if (v !== undefined) return v;
    }
    return last(bag, refs);
  };
}

function mapNameOf(n: ExprNode): string | undefined {
  return n.kind === "var" ? n.name : undefined;
}

function lookupKey(m: StringMap, key: string, staticName: string | undefined, refs: Refs): string | undefined {
  const v = m.entries.get(key);
  const owner = staticName ?? m.name;
  if (refs && owner !== undefined) refs.recordMapKey(owner, key, v !== undefined);
  return v;
}

function compileIndex(n: FnNode, ctx: Ctx): Ev {
  const mapEv = ctx.compile(n.args[0]!);
  const keyEv = ctx.compile(n.args[1]!);
  const staticName = mapNameOf(n.args[0]!);
  return (bag, refs) => {
    const m = mapEv(bag, refs) as StringMap;
    const key = keyEv(bag, refs) as string;
    // Missing key outside `|` yields "" (Mixer quirk, §3.4).
    return lookupKey(m, key, staticName, refs) ?? "";
  };
}

function compileIndexTry(n: FnNode, ctx: Ctx): TryEv {
  const mapTry = ctx.compileTry(n.args[0]!);
  const keyTry = ctx.compileTry(n.args[1]!);
  const staticName = mapNameOf(n.args[0]!);
  return (bag, refs) => {
    const m = mapTry(bag, refs) as StringMap | undefined;
    if (m === undefined) return undefined;
    const key = keyTry(bag, refs) as string | undefined;
    if (key === undefined) return undefined;
    return lookupKey(m, key, staticName, refs);
  };
}

/** Run-time guard: the bag value must have the kind the manifest declares. */
function kindCheck(t: ValueType): (v: Value) => void {
  const fail = (what: string) => (v: Value) => {
    throw new EvaluationError(`error converting value to ${what}: '${formatValue(v)}'`);
  };
  switch (t) {
    case ValueType.STRING:
    case ValueType.DNS_NAME:
    case ValueType.EMAIL_ADDRESS:
    case ValueType.URI:
      return (v) => typeof v === "string" || fail("string")(v);
    case ValueType.INT64:
      return (v) => typeof v === "bigint" || fail("integer")(v);
    case ValueType.DOUBLE:
      return (v) => typeof v === "number" || fail("double")(v);
    case ValueType.BOOL:
      return (v) => typeof v === "boolean" || fail("bool")(v);
    case ValueType.DURATION:
      return (v) => v instanceof Duration || fail("duration")(v);
    case ValueType.TIMESTAMP:
      return (v) => v instanceof Timestamp || fail("timestamp")(v);
    case ValueType.IP_ADDRESS:
      return (v) => v instanceof IpAddress || fail("ip address")(v);
    case ValueType.STRING_MAP:
      return (v) => v instanceof StringMap || fail("string map")(v);
    default:
      return () => undefined;
  }
}
