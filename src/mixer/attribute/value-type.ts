/**
 * Attribute value types, numbered as in istio/api policy/v1beta1/value_type.proto.
 */
export enum ValueType {
  VALUE_TYPE_UNSPECIFIED = 0,
  STRING = 1,
  INT64 = 2,
  DOUBLE = 3,
  BOOL = 4,
  TIMESTAMP = 5,
  IP_ADDRESS = 6,
  EMAIL_ADDRESS = 7,
  URI = 8,
  DNS_NAME = 9,
  DURATION = 10,
  STRING_MAP = 11,
}

const NAMES: readonly string[] = [
  "VALUE_TYPE_UNSPECIFIED",
  "STRING",
  "INT64",
  "DOUBLE",
  "BOOL",
  "TIMESTAMP",
  "IP_ADDRESS",
  "EMAIL_ADDRESS",
  "URI",
  "DNS_NAME",
  "DURATION",
  "STRING_MAP",
];

const BY_NAME = new Map<string, ValueType>(NAMES.map((n, i) => [n, i as ValueType]));

/** Upper-case proto name of a value type, e.g. `INT64`. */
export function valueTypeName(t: ValueType): string {
  return NAMES[t] ?? `ValueType(${String(t)})`;
}

/**
 * Parses a manifest/template type name (`"STRING"`, `"INT64"`, ...).
 * Returns `undefined` for unknown names so callers can report with their own context.
 */
export function parseValueType(name: string): ValueType | undefined {
  return BY_NAME.get(name);
}
