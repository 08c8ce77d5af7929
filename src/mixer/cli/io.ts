import { existsSync, readFileSync } from "node:fs";
import {
  STANDARD_MANIFESTS,
  bagFromJSON,
  createFinder,
  toJSONValue,
  isValue,
  type AttributeFinder,
  type AttributeManifest,
  type MutableBag,
  type Value,
} from "../attribute/index.js";
import { ConfigValidationError } from "../config/errors.js";
import { loadConfigFiles } from "../config/source.js";
import { buildSnapshot } from "../config/validate.js";

/** A user-input problem: printed as is, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Reads `--attributes`: inline JSON (starts with `{`) or a JSON file path. */
export function readJsonArg(arg: string, what: string): { value: unknown; source: string } {
  const inline = arg.trimStart().startsWith("{");
  const source = inline ? `${what} (inline JSON)` : arg;
  let text = arg;
  if (!inline) {
    if (!existsSync(arg)) throw new UsageError(`${what}: file not found: ${arg}`);
    text = readFileSync(arg, "utf8");
  }
  try {
    return { value: JSON.parse(text), source };
  } catch (e) {
    throw new UsageError(`${source}: invalid JSON: ${(e as Error).message}`);
  }
}

/** Builds a bag from `--attributes`, typed by the finder (unknown names are errors). */
export function readAttributes(arg: string, finder: AttributeFinder): MutableBag {
  const { value, source } = readJsonArg(arg, "--attributes");
  try {
    return bagFromJSON(value, finder, source);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Built-in manifests plus the `attributemanifest` documents of `--manifest` files. */
export function loadFinder(manifestPaths: readonly string[]): AttributeFinder {
  if (manifestPaths.length === 0) return createFinder(STANDARD_MANIFESTS);
  const snap = buildSnapshot(loadConfigFiles(manifestPaths));
  if (snap.errors.length > 0) throw new ConfigValidationError(snap.errors);
  return snap.finder;
}

/** JSON-safe copy of an instance or result: attribute values via toJSONValue, recursively. */
export function toJson(v: unknown): unknown {
  if (isValue(v)) return toJSONValue(v as Value);
  if (Array.isArray(v)) return v.map(toJson);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJson(x);
    return out;
  }
  return v ?? null;
}

export type { AttributeManifest };
