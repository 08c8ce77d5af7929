import { findTargets, type SkippedFunction } from "./find-targets.js";
import { planEdits } from "./plan-edits.js";
import { applyEdits } from "./apply-edits.js";
import { importEdit, moduleStyle, type ModuleStyle } from "./ensure-import.js";
import { parseFile } from "./parse.js";
import { defaultModuleName } from "./naming.js";
import { DEFAULT_IMPORT_FROM, IGNORE_FILE_RE, RESERVED_RE, RUNTIME_PATH_RE } from "./markers.js";

/** Options for one file. */
export interface InstrumentOptions {
  /** Path used for parsing (its extension picks TS/TSX/JS) and, by default, passed to the runtime. */
  fileName: string;
  /** The module the runtime import names. Default `functrace`. */
  importFrom?: string;
  /** First segment of every span name. Default: the file's base name. */
  moduleName?: string;
  /** The `file` passed to the runtime (posix, relative to where the codemod ran). Default `fileName`. */
  displayPath?: string;
  /** For JavaScript without import/export syntax: the package's module type. Default CommonJS. */
  moduleType?: ModuleStyle;
}

/** The result of instrumenting one file's text. */
export interface InstrumentResult {
  text: string;
  changed: boolean;
  /** Number of functions instrumented. */
  functions: number;
  /** Functions left alone, with the reason. */
  skipped: SkippedFunction[];
  /** Set when the whole file was left alone on purpose. */
  fileSkipped?: string;
}

const ALREADY_RE = /(?:import \{ __ft \} from |const \{ __ft \} = require\(|var __ft = require\()/;

/**
 * Instrument every function in one file's text; pure (no I/O). Every original line keeps its
 * number. Throws ParseError (`path:line:col: message`) when the text does not parse.
 */
export function instrumentText(text: string, options: InstrumentOptions): InstrumentResult {
  const unchanged = (fileSkipped?: string): InstrumentResult => ({ text, changed: false, functions: 0, skipped: [], fileSkipped });
  const { fileName } = options;
  if (RUNTIME_PATH_RE.test(fileName.replace(/\\/g, "/"))) return unchanged("functrace runtime");
  const mentionsFt = text.includes("__ft"); // one scan; the regexes below only when it can match
  if (mentionsFt && ALREADY_RE.test(text)) return unchanged();
  const sf = parseFile(text, fileName);
  const head = text.slice(0, sf.statements.length > 0 ? sf.statements[0].getStart(sf) : text.length);
  if (IGNORE_FILE_RE.test(head)) return unchanged("functrace-ignore-file");
  if (mentionsFt && RESERVED_RE.test(text)) return unchanged("uses a reserved identifier (__ft, __ft_t, __ft_e)");
  const targets = findTargets(sf, options.moduleName ?? defaultModuleName(fileName));
  if (targets.functions.length === 0) return { ...unchanged(), skipped: targets.skipped };
  const decl = targets.es2015 ? "const" : "var";
  const edits = planEdits(targets.functions, targets.points, { decl, file: options.displayPath ?? fileName });
  const style = moduleStyle(fileName, targets.esm, options.moduleType);
  edits.push(importEdit(sf, style, decl, options.importFrom ?? DEFAULT_IMPORT_FROM));
  const out = applyEdits(text, edits);
  return { text: out, changed: out !== text, functions: targets.functions.length, skipped: targets.skipped };
}
