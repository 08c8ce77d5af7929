import {
  echo,
  STANDARD_MANIFESTS,
  checkAttributeName,
  createFinder,
  parseValueType,
  valueTypeName,
  type AttributeFinder,
  type AttributeManifest,
  type ValueType,
} from "../attribute/index.js";
import { isPlainObject } from "../adapter/params.js";
import type { ConfigError } from "./errors.js";
import { errorAt, type Resource } from "./resource.js";

/**
 * Builds the attribute finder: built-in manifests (unless disabled) plus every valid
 * `attributemanifest` resource. A name declared again with another type is an error at
 * the later declaration (Mixer lets the last one win silently).
 */
export function buildFinder(
  resources: readonly Resource[],
  errors: ConfigError[],
  builtins: readonly AttributeManifest[] = STANDARD_MANIFESTS,
): AttributeFinder {
  const seen = new Map<string, { type: ValueType; from: string }>();
  for (const m of builtins) for (const [n, a] of Object.entries(m.attributes)) seen.set(n, { type: a.valueType, from: `manifest '${m.name}'` });
  const manifests: AttributeManifest[] = [...builtins];
  for (const r of resources) {
    if (r.kind !== "attributemanifest") continue;
    const attributes = readAttributes(r, seen, errors);
    manifests.push({ name: r.fqn, attributes });
  }
  return createFinder(manifests);
}

function readAttributes(
  r: Resource,
  seen: Map<string, { type: ValueType; from: string }>,
  errors: ConfigError[],
): Record<string, { valueType: ValueType; description?: string }> {
  const out: Record<string, { valueType: ValueType; description?: string }> = {};
  const attrs = r.spec.attributes;
  if (attrs === undefined) return out;
  if (!isPlainObject(attrs)) {
    errors.push(errorAt(r.source, r, ["spec", "attributes"], "expected a map of attribute name to {valueType, description}"));
    return out;
  }
  for (const [name, a] of Object.entries(attrs)) {
    const path = ["spec", "attributes", name];
    const bad = checkAttributeName(name);
    if (bad) {
      errors.push(errorAt(r.source, r, path, bad));
      continue;
    }
    const typeName = isPlainObject(a) ? (a.valueType ?? a.value_type) : undefined;
    const type = typeof typeName === "string" ? parseValueType(typeName) : undefined;
    if (type === undefined || type === 0) {
      errors.push(errorAt(r.source, r, [...path, "valueType"], `unknown valueType ${JSON.stringify(typeName)} (expected STRING, INT64, DOUBLE, BOOL, TIMESTAMP, IP_ADDRESS, EMAIL_ADDRESS, URI, DNS_NAME, DURATION or STRING_MAP)`));
      continue;
    }
    const prev = seen.get(name);
    if (prev && prev.type !== type) {
      errors.push(errorAt(r.source, r, [...path, "valueType"], `attribute '${echo(name)}' is ${valueTypeName(type)} here but ${valueTypeName(prev.type)} in ${prev.from}`));
      continue;
    }
    seen.set(name, { type, from: `attributemanifest '${r.fqn}'` });
    const description = isPlainObject(a) && typeof a.description === "string" ? a.description : undefined;
    out[name] = description === undefined ? { valueType: type } : { valueType: type, description };
  }
  return out;
}
