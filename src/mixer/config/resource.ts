import { echo } from "../attribute/index.js";
import { ConfigError, formatFieldPath } from "./errors.js";
import { checkResourceName, fqn, type ResourceKind } from "./names.js";
import type { SourceDoc } from "./source.js";
import { isPlainObject } from "../adapter/params.js";

/** A config resource after envelope validation (kind, metadata); `spec` is still raw. */
export interface Resource {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly namespace: string;
  readonly fqn: string;
  readonly spec: Record<string, unknown>;
  /** Legacy CRD: `kind: stdio` ⇒ handler of that adapter; `kind: metric` ⇒ instance of that template. */
  readonly legacy?: { readonly adapter?: string; readonly template?: string };
  readonly source: SourceDoc;
}

/** Resolves whether a legacy kind names an adapter or a template. */
export interface KindResolver {
  isAdapter(name: string): boolean;
  isTemplate(name: string): boolean;
}

const KINDS: readonly string[] = ["handler", "instance", "rule", "attributemanifest"];

/** Builds a ConfigError located at `path` (relative to the document root) of `res`. */
export function errorAt(
  doc: SourceDoc,
  res: { kind?: string; fqn?: string } | undefined,
  path: readonly (string | number)[],
  message: string,
): ConfigError {
  const field = path[0] === "spec" ? formatFieldPath(path.slice(1)) : formatFieldPath(path);
  return new ConfigError(
    { file: doc.file, document: doc.index, line: doc.lineOf(path), kind: res?.kind, resource: res?.fqn, field },
    message,
  );
}

/** Validates a document's envelope; returns the resource, or undefined with errors added. */
export function readResource(
  doc: SourceDoc,
  defaultNamespace: string,
  kinds: KindResolver,
  errors: ConfigError[],
): Resource | undefined {
  const d = doc.data;
  if (!isPlainObject(d)) {
    errors.push(errorAt(doc, undefined, [], "expected a resource object with kind, metadata and spec"));
    return undefined;
  }
  const meta = isPlainObject(d.metadata) ? d.metadata : {};
  const name = typeof meta.name === "string" ? meta.name : "";
  const namespace = typeof meta.namespace === "string" && meta.namespace !== "" ? meta.namespace : defaultNamespace;
  const rawKind = typeof d.kind === "string" ? d.kind : "";
  const n0 = errors.length;
  if (name === "") errors.push(errorAt(doc, undefined, ["metadata", "name"], "metadata.name is required"));
  else checkNames(doc, name, namespace, errors);
  const { kind, legacy } = classifyKind(rawKind, kinds);
  if (kind === undefined) errors.push(errorAt(doc, undefined, ["kind"], kindMessage(rawKind)));
  if (d.spec !== undefined && !isPlainObject(d.spec)) errors.push(errorAt(doc, undefined, ["spec"], "spec must be an object"));
  if (errors.length > n0 || kind === undefined) return undefined;
  const kindInFqn = legacy?.adapter ?? legacy?.template ?? kind;
  const spec = isPlainObject(d.spec) ? d.spec : {};
  return { kind, name, namespace, fqn: fqn(name, kindInFqn, namespace), spec, legacy, source: doc };
}

function checkNames(doc: SourceDoc, name: string, namespace: string, errors: ConfigError[]): void {
  const bad = checkResourceName(name, "metadata.name");
  if (bad) errors.push(errorAt(doc, undefined, ["metadata", "name"], bad));
  const badNs = checkResourceName(namespace, "metadata.namespace");
  if (badNs) errors.push(errorAt(doc, undefined, ["metadata", "namespace"], badNs));
}

function classifyKind(k: string, kinds: KindResolver): { kind?: ResourceKind; legacy?: Resource["legacy"] } {
  if (KINDS.includes(k)) return { kind: k as ResourceKind };
  if (kinds.isAdapter(k)) return { kind: "handler", legacy: { adapter: k } };
  if (kinds.isTemplate(k)) return { kind: "instance", legacy: { template: k } };
  return {};
}

function kindMessage(k: string): string {
  if (k === "") return "kind is required (handler, instance, rule or attributemanifest)";
  if (k === "adapter" || k === "template") return `kind '${echo(k)}' (out-of-process adapters) is not supported`;
  return `unknown kind '${echo(k)}': expected handler, instance, rule, attributemanifest, an adapter name or a template name`;
}
