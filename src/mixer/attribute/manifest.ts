/**
 * Attribute manifests (`kind: attributemanifest`) and the finder the type checker uses.
 */
import { ValueType, valueTypeName } from "./value-type.js";

/** One declared attribute. */
export interface AttributeDescriptor {
  readonly name: string;
  readonly valueType: ValueType;
  readonly description?: string;
}

/** A manifest: a producer name and its attribute declarations. */
export interface AttributeManifest {
  /** Producer name, e.g. `istioproxy`. */
  readonly name: string;
  readonly revision?: string;
  readonly attributes: Readonly<Record<string, { readonly valueType: ValueType; readonly description?: string }>>;
}

/** Answers "what type is attribute X?" for the type checker. */
export interface AttributeDescriptorFinder {
  getAttribute(name: string): AttributeDescriptor | undefined;
}

/** Finder with enumeration, as returned by {@link createFinder}. */
export interface AttributeFinder extends AttributeDescriptorFinder {
  /** All declared attributes, sorted by name. */
  attributes(): AttributeDescriptor[];
}

/** Error for invalid manifests (bad name, duplicate with a different type). */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ManifestError";
  }
}

const NAME_RE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/i;

/**
 * Validates an attribute name (§1.2). Mixed case is accepted (the vocabulary has
 * `source.serviceAccount`); `-` is rejected because CEXL reads it as subtraction.
 * Returns an error message or undefined.
 */
export function checkAttributeName(name: string): string | undefined {
  if (NAME_RE.test(name)) return undefined;
  if (name.includes("-")) {
    return `invalid attribute name '${name}': '-' is not allowed (expressions read it as subtraction)`;
  }
  return `invalid attribute name '${name}': expected dot-separated identifiers like 'request.size'`;
}

/**
 * Unions manifests into one finder. A name declared twice with different types, or an
 * invalid name, is a {@link ManifestError}; the same type twice is fine.
 */
export function createFinder(manifests: readonly AttributeManifest[]): AttributeFinder {
  const map = new Map<string, AttributeDescriptor & { from: string }>();
  for (const m of manifests) {
    for (const [name, a] of Object.entries(m.attributes)) {
      const bad = checkAttributeName(name);
      if (bad) throw new ManifestError(`manifest '${m.name}': ${bad}`);
      const prev = map.get(name);
      if (prev && prev.valueType !== a.valueType) {
        throw new ManifestError(
          `attribute '${name}' declared as ${valueTypeName(prev.valueType)} in manifest '${prev.from}' ` +
            `and as ${valueTypeName(a.valueType)} in manifest '${m.name}'`,
        );
      }
      if (!prev) map.set(name, { name, valueType: a.valueType, description: a.description, from: m.name });
    }
  }
  const descriptors = new Map<string, AttributeDescriptor>();
  for (const [k, v] of map) {
    descriptors.set(k, v.description === undefined ? { name: k, valueType: v.valueType } : { name: k, valueType: v.valueType, description: v.description });
  }
  return {
    getAttribute: (name) => descriptors.get(name),
    attributes: () => [...descriptors.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

/** A finder over a plain `name → type` record (handy in tests). */
export function finderFromTypes(types: Readonly<Record<string, ValueType>>): AttributeFinder {
  const attributes: Record<string, { valueType: ValueType }> = {};
  for (const [k, t] of Object.entries(types)) attributes[k] = { valueType: t };
  return createFinder([{ name: "inline", attributes }]);
}
