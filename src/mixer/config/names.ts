import { echo } from "../attribute/index.js";

/** Resource kinds the core understands. */
export type ResourceKind = "handler" | "instance" | "rule" | "attributemanifest";

/** `{name}.{kind}.{namespace}` (Mixer FQN: exactly two dots). */
export function fqn(name: string, kind: string, namespace: string): string {
  return `${name}.${kind}.${namespace}`;
}

/** Part of an FQN before the first dot (used to match quota names). */
export function shortName(fullName: string): string {
  const i = fullName.indexOf(".");
  return i < 0 ? fullName : fullName.slice(0, i);
}

/** Namespace part of an FQN (after the second dot). */
export function namespaceOf(fullName: string): string {
  const parts = fullName.split(".");
  return parts.slice(2).join(".");
}

/**
 * Resolves a rule's reference to a handler/instance (Mixer §4.1):
 * `h` → `h.{kind}.{ns}`; `a.b` → `a.b.{ns}` (old style: b is the kind) then `a.{kind}.b`;
 * two or more dots → as is. Returns the first candidate that `exists`, else `undefined`.
 */
export function resolveReference(
  ref: string,
  kind: string,
  namespace: string,
  exists: (fullName: string) => boolean,
): string | undefined {
  const dots = ref.split(".").length - 1;
  let candidates: string[];
  if (dots === 0) candidates = [fqn(ref, kind, namespace)];
  else if (dots === 1) {
    const [a, b] = ref.split(".");
    candidates = [`${ref}.${namespace}`, fqn(a, kind, b)];
  } else candidates = [ref];
  return candidates.find(exists);
}

const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes-style name check (DNS label: lower-case, digits, `-`); returns a message or undefined. */
export function checkResourceName(name: string, what: string): string | undefined {
  return NAME_RE.test(name) ? undefined : `invalid ${what} '${echo(name)}': expected a DNS label (lower-case letters, digits and '-')`;
}
