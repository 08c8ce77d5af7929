import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { LineCounter, parseAllDocuments, isNode, type Document } from "yaml";
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

/** Parses a YAML text holding one or more `---`-separated documents. Empty documents are skipped. */
export function parseConfigText(text: string, file: string): LoadedSource {
  const lc = new LineCounter();
  const docs: SourceDoc[] = [];
  const errors: ConfigError[] = [];
  parseAllDocuments(text, { lineCounter: lc, prettyErrors: false }).forEach((doc, i) => {
    for (const e of doc.errors) {
      const line = e.linePos?.[0]?.line ?? lc.linePos(e.pos[0]).line;
      errors.push(new ConfigError({ file, document: i + 1, line }, `YAML syntax error: ${e.message.split("\n")[0]}`));
    }
    if (doc.errors.length > 0) return;
    const data = doc.toJS();
    if (data === null || data === undefined) return;
    docs.push({ file, index: i + 1, data, lineOf: (path) => lineOf(doc, lc, path) });
  });
  return { docs, errors };
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
      const r = parseConfigText(readFileSync(f, "utf8"), shown);
      docs.push(...r.docs);
      errors.push(...r.errors);
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
