import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { LineCounter, parseAllDocuments, isNode, type Document } from "yaml";
import { echo } from "../attribute/index.js";
import { ConfigError } from "./errors.js";

/** One parsed YAML document (or in-process object) with line lookup for field paths. */
export interface SourceDoc {
  readonly file: string;
  /** 1-based document index within the file. */
  readonly index: number;
  readonly data: unknown;
  /** Line (1-based) of the node at `path`, or of its closest existing ancestor. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

/** Parsed documents plus YAML syntax errors. */
export interface LoadedSource {
  readonly docs: SourceDoc[];
  readonly errors: ConfigError[];
}

/**
 * Most YAML aliases one document may expand (the `yaml` package's `maxAliasCount`). An
 * alias bomb (aliases of aliases, exponential output) is refused with a located error.
 */
export const MAX_YAML_ALIASES = 100;

/**
 * Parses a YAML text holding one or more `---`-separated documents. Empty documents are
 * skipped. Never throws: whatever goes wrong in this text (syntax, an alias bomb, nesting
 * too deep for the parser) is a ConfigError located in `file`, and other files still load.
 */
export function parseConfigText(text: string, file: string): LoadedSource {
  const lc = new LineCounter();
  const docs: SourceDoc[] = [];
  const errors: ConfigError[] = [];
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false }) as Document.Parsed[];
  } catch (e) {
    return { docs, errors: [new ConfigError({ file }, `cannot parse YAML: ${echo((e as Error).message)}`)] };
  }
  parsed.forEach((doc, i) => {
    for (const e of doc.errors) {
      const line = e.linePos?.[0]?.line ?? lc.linePos(e.pos[0]).line;
      errors.push(new ConfigError({ file, document: i + 1, line }, `YAML syntax error: ${echo(e.message.split("\n")[0] ?? "")}`));
    }
    if (doc.errors.length > 0) return;
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (e) {
      const line = doc.contents?.range ? lc.linePos(doc.contents.range[0]).line : undefined;
      errors.push(new ConfigError({ file, document: i + 1, line }, yamlValueError(e)));
      return;
    }
    if (data === null || data === undefined) return;
    docs.push({ file, index: i + 1, data, lineOf: (path) => lineOf(doc, lc, path) });
  });
  return { docs, errors };
}

function yamlValueError(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  if (/alias count/i.test(m)) {
    return `YAML document expands more than ${MAX_YAML_ALIASES} aliases (${echo(m)}); the document is ignored`;
  }
  return `cannot read YAML document: ${echo(m)}`;
}

function lineOf(doc: Document, lc: LineCounter, path: readonly (string | number)[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

/**
 * Loads YAML config from files and/or folders (recursively, `.yaml`/`.yml`, sorted by path).
 * Paths in errors are relative to `cwd` when inside it. Unreadable paths become errors.
 */
export function loadConfigFiles(paths: string | readonly string[], cwd = process.cwd()): LoadedSource {
  const docs: SourceDoc[] = [];
  const errors: ConfigError[] = [];
  for (const p of typeof paths === "string" ? [paths] : paths) {
    let files: string[];
    try {
      files = statSync(p).isDirectory() ? listYaml(p) : [p];
    } catch (e) {
      errors.push(new ConfigError({ file: p }, `cannot read config: ${(e as Error).message}`));
      continue;
    }
    for (const f of files) {
      const shown = displayPath(f, cwd);
      let text: string;
      try {
        text = readFileSync(f, "utf8");
      } catch (e) {
        errors.push(new ConfigError({ file: shown }, `cannot read config: ${(e as Error).message}`));
        continue;
      }
      const r = parseConfigText(text, shown);
      for (const d of r.docs) docs.push(d);
      for (const e of r.errors) errors.push(e);
    }
  }
  return { docs, errors };
}

function listYaml(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listYaml(p));
    else if (extname(name) === ".yaml" || extname(name) === ".yml") out.push(p);
  }
  return out;
}

function displayPath(f: string, cwd: string): string {
  const r = relative(cwd, f);
  return r.startsWith("..") || r === "" ? f : r;
}

/** Wraps in-process resource objects (already parsed) as documents named `<file>#n`. */
export function sourceFromObjects(resources: readonly unknown[], file = "<inline>"): LoadedSource {
  return { docs: resources.map((data, i) => ({ file, index: i + 1, data, lineOf: () => undefined })), errors: [] };
}
