/**
 * Function metadata for type checking (mixer/pkg/lang/ast/func.go intrinsics plus
 * lang/externs.go). VALUE_TYPE_UNSPECIFIED means "any": all such parameters must share
 * the type of the first one; an unspecified return type is that shared type.
 */
import { ValueType } from "../attribute/index.js";

export interface FunctionMetadata {
  readonly name: string;
  readonly instance: boolean;
  readonly targetType: ValueType;
  readonly returnType: ValueType;
  readonly argumentTypes: readonly ValueType[];
}

const ANY = ValueType.VALUE_TYPE_UNSPECIFIED;
const { STRING, BOOL, INT64, STRING_MAP, IP_ADDRESS, TIMESTAMP, DNS_NAME, EMAIL_ADDRESS, URI } = ValueType;

function f(name: string, returnType: ValueType, argumentTypes: ValueType[]): FunctionMetadata {
  return { name, instance: false, targetType: ANY, returnType, argumentTypes };
}

function method(name: string, targetType: ValueType, returnType: ValueType, argumentTypes: ValueType[]): FunctionMetadata {
  return { name, instance: true, targetType, returnType, argumentTypes };
}

const ALL: readonly FunctionMetadata[] = [
  // Intrinsics (operators).
  f("EQ", BOOL, [ANY, ANY]),
  f("NEQ", BOOL, [ANY, ANY]),
  f("LT", BOOL, [ANY, ANY]),
  f("LEQ", BOOL, [ANY, ANY]),
  f("GT", BOOL, [ANY, ANY]),
  f("GEQ", BOOL, [ANY, ANY]),
  f("OR", ANY, [ANY, ANY]),
  f("LOR", BOOL, [BOOL, BOOL]),
  f("LAND", BOOL, [BOOL, BOOL]),
  f("INDEX", STRING, [STRING_MAP, STRING]),
  f("conditional", ANY, [BOOL, ANY, ANY]),
  f("ADD", ANY, [ANY, ANY]),
  // Externs.
  f("ip", IP_ADDRESS, [STRING]),
  f("timestamp", TIMESTAMP, [STRING]),
  f("dnsName", DNS_NAME, [STRING]),
  f("email", EMAIL_ADDRESS, [STRING]),
  f("uri", URI, [STRING]),
  f("match", BOOL, [STRING, STRING]),
  method("matches", STRING, BOOL, [STRING]),
  method("startsWith", STRING, BOOL, [STRING]),
  method("endsWith", STRING, BOOL, [STRING]),
  f("emptyStringMap", STRING_MAP, []),
  f("conditionalString", STRING, [BOOL, STRING, STRING]),
  f("toLower", STRING, [STRING]),
  f("size", INT64, [ANY]),
];

/** name → metadata for every function CEXL knows. */
export const FUNCTIONS: ReadonlyMap<string, FunctionMetadata> = new Map(ALL.map((m) => [m.name, m]));

/** The sorted list of user-callable function names (for docs and error hints). */
export function functionNames(): string[] {
  return ALL.filter((m) => /^[a-z]/.test(m.name))
    .map((m) => m.name)
    .sort();
}
