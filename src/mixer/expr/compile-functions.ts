/**
 * Closures for operators and functions other than `|` and `[]` (those live in
 * compile.ts because of their "has a value" mode).
 */
import { IpAddress, parseIp, parseRfc3339, StringMap, Timestamp, ValueType, type Value } from "../attribute/index.js";
import type { FnNode } from "./ast.js";
import type { Ctx, Ev } from "./compile.js";
import { EvaluationError } from "./errors.js";
import {
  compareStrings,
  compileRegex,
  dnsNameEqual,
  dnsNameError,
  emailEqual,
  globMatch,
  parseEmail,
  uriEqual,
  uriError,
} from "./externs.js";

const EMPTY_MAP = new StringMap(new Map());

type Eq = (a: Value, b: Value) => boolean;

function equalityFor(t: ValueType): Eq {
  switch (t) {
    case ValueType.TIMESTAMP:
      return (a, b) => (a as Timestamp).equals(b as Timestamp);
    case ValueType.IP_ADDRESS:
      return (a, b) => (a as IpAddress).equals(b as IpAddress);
    case ValueType.DNS_NAME:
      return (a, b) => dnsNameEqual(a as string, b as string);
    case ValueType.EMAIL_ADDRESS:
      return (a, b) => emailEqual(a as string, b as string);
    case ValueType.URI:
      return (a, b) => uriEqual(a as string, b as string);
    default:
      return (a, b) => a === b;
  }
}

function compareFor(t: ValueType): (a: Value, b: Value) => number {
  if (t === ValueType.STRING) return (a, b) => compareStrings(a as string, b as string);
  if (t === ValueType.TIMESTAMP) return (a, b) => (a as Timestamp).compare(b as Timestamp);
  return (a, b) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : (a as number) === (b as number) ? 0 : NaN);
}

const ORDER: Readonly<Record<string, (c: number) => boolean>> = {
  LT: (c) => c < 0,
  LEQ: (c) => c <= 0,
  GT: (c) => c > 0,
  GEQ: (c) => c >= 0,
};

function binary(n: FnNode, ctx: Ctx, op: (a: Value, b: Value) => Value): Ev {
  const x = ctx.compile(n.args[0]!);
  const y = ctx.compile(n.args[1]!);
  return (bag, refs) => op(x(bag, refs), y(bag, refs));
}

function unaryString(n: FnNode, ctx: Ctx, op: (s: string) => Value): Ev {
  const x = ctx.compile(n.args[0]!);
  return (bag, refs) => op(x(bag, refs) as string);
}

function instanceString(n: FnNode, ctx: Ctx, op: (target: string, arg: string) => boolean): Ev {
  const t = ctx.compile(n.target!);
  const a = ctx.compile(n.args[0]!);
  return (bag, refs) => op(t(bag, refs) as string, a(bag, refs) as string);
}

function conditional(n: FnNode, ctx: Ctx): Ev {
  const [c, a, b] = n.args.map((x) => ctx.compile(x)) as [Ev, Ev, Ev];
  return (bag, refs) => (c(bag, refs) ? a(bag, refs) : b(bag, refs));
}

/** Compiles `n` (a checked call of a known function other than OR/INDEX). */
export function compileFunction(n: FnNode, ctx: Ctx): Ev {
  switch (n.name) {
    case "EQ":
    case "NEQ": {
      const eq = equalityFor(ctx.typeOf(n.args[0]!));
      return n.name === "EQ" ? binary(n, ctx, eq) : binary(n, ctx, (a, b) => !eq(a, b));
    }
    case "LT":
    case "LEQ":
    case "GT":
    case "GEQ": {
      const cmp = compareFor(ctx.typeOf(n.args[0]!));
      const test = ORDER[n.name]!;
      return binary(n, ctx, (a, b) => test(cmp(a, b)));
    }
    case "LAND":
    case "LOR": {
      const x = ctx.compile(n.args[0]!);
      const y = ctx.compile(n.args[1]!);
      return n.name === "LAND"
        ? (bag, refs) => (x(bag, refs) as boolean) && (y(bag, refs) as boolean)
        : (bag, refs) => (x(bag, refs) as boolean) || (y(bag, refs) as boolean);
    }
    case "ADD":
      return compileAdd(n, ctx);
    case "conditional":
    case "conditionalString":
      return conditional(n, ctx);
    default:
      return compileExtern(n, ctx);
  }
}

function compileAdd(n: FnNode, ctx: Ctx): Ev {
  const t = ctx.typeOf(n.args[0]!);
  if (t === ValueType.INT64) return binary(n, ctx, (a, b) => BigInt.asIntN(64, (a as bigint) + (b as bigint)));
  if (t === ValueType.DOUBLE) return binary(n, ctx, (a, b) => (a as number) + (b as number));
  return binary(n, ctx, (a, b) => (a as string) + (b as string));
}

function compileExtern(n: FnNode, ctx: Ctx): Ev {
  switch (n.name) {
    case "match":
      return binary(n, ctx, (s, p) => globMatch(s as string, p as string));
    case "matches":
      return instanceString(n, ctx, (re, s) => compileRegex(re).test(s));
    case "startsWith":
      return instanceString(n, ctx, (s, p) => s.startsWith(p));
    case "endsWith":
      return instanceString(n, ctx, (s, p) => s.endsWith(p));
    case "toLower":
      return unaryString(n, ctx, (s) => s.toLowerCase());
    case "size":
      return unaryString(n, ctx, (s) => BigInt(Buffer.byteLength(s, "utf8")));
    case "emptyStringMap":
      return () => EMPTY_MAP;
    case "ip":
      return unaryString(n, ctx, (s) => {
        const ip = parseIp(s, true);
        if (!ip) throw new EvaluationError(`could not convert ${s} to IP_ADDRESS`);
        return ip;
      });
    case "timestamp":
      return unaryString(n, ctx, (s) => {
        const t = parseRfc3339(s);
        if (!t) throw new EvaluationError(`could not convert '${s}' to TIMESTAMP. expected format: '2006-01-02T15:04:05Z07:00'`);
        return t;
      });
    default:
      return compileValidators(n, ctx);
  }
}

function compileValidators(n: FnNode, ctx: Ctx): Ev {
  switch (n.name) {
    case "dnsName":
      return unaryString(n, ctx, (s) => {
        const e = dnsNameError(s);
        if (e) throw new EvaluationError(`error converting '${s}' to dns name: '${e}'`);
        return s;
      });
    case "email":
      return unaryString(n, ctx, (s) => {
        const e = parseEmail(s);
        if (typeof e === "string") throw new EvaluationError(`error converting '${s}' to e-mail: '${e}'`);
        return s;
      });
    case "uri":
      return unaryString(n, ctx, (s) => {
        const e = uriError(s);
        if (e) throw new EvaluationError(`error converting '${s}' to uri: '${e}'`);
        return s;
      });
    default:
      // The checker rejects unknown functions; reaching this is a bug in the tables.
      throw new Error(`no implementation for function ${n.name}`);
  }
}
