import { ts } from "./ts.js";

/** A file that does not parse: reported as `path:line:col: message`, never rewritten. */
export class ParseError extends Error {
  readonly fileName: string;
  readonly line: number;
  readonly column: number;
  constructor(fileName: string, line: number, column: number, message: string) {
    super(`${fileName}:${line}:${column}: ${message}`);
    this.name = "ParseError";
    this.fileName = fileName;
    this.line = line;
    this.column = column;
  }
}

/** The script kind the TypeScript parser should use for a file name. */
export function scriptKindOf(fileName: string): ts.ScriptKind {
  const m = /\.([cm]?[jt]sx?)$/i.exec(fileName);
  const ext = m ? m[1].toLowerCase() : "ts";
  if (ext === "tsx") return ts.ScriptKind.TSX;
  if (ext === "jsx") return ts.ScriptKind.JSX;
  if (ext.endsWith("js")) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

// JSDoc is never needed here; skipping it makes parsing large JavaScript files much faster.
const OPTIONS: ts.CreateSourceFileOptions = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };

/**
 * Parse one file with the TypeScript parser alone (no Program, no type checker): the fast,
 * read-only half of the rewrite. Throws ParseError on the first syntax error.
 */
export function parseFile(text: string, fileName: string, setParents = false): ts.SourceFile {
  const sf = ts.createSourceFile(fileName, text, OPTIONS, setParents, scriptKindOf(fileName));
  const all = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const diags = isSloppyScript(sf) ? all.filter((d) => !STRICT_ONLY.has(d.code)) : all;
  if (diags.length > 0) {
    const d = diags[0];
    const { line, character } = sf.getLineAndCharacterOfPosition(d.start);
    throw new ParseError(fileName, line + 1, character + 1, ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  }
  return sf;
}

// Errors only in strict code, which TypeScript's parser reports everywhere: legacy octal literals
// (`010`), octal escapes (`"\\101"`) and decimals with a leading zero (`08`) are valid in a
// sloppy-mode script, and Node runs them.
const STRICT_ONLY = new Set([1121, 1487, 1489]);

/** A JavaScript script (no import/export, not .mjs) without a file-level "use strict". */
function isSloppyScript(sf: ts.SourceFile): boolean {
  const kind = scriptKindOf(sf.fileName);
  if ((kind !== ts.ScriptKind.JS && kind !== ts.ScriptKind.JSX) || /\.mjs$/i.test(sf.fileName)) return false;
  if ((sf as unknown as { externalModuleIndicator?: unknown }).externalModuleIndicator) return false;
  for (const stmt of sf.statements) {
    if (!ts.isExpressionStatement(stmt) || !ts.isStringLiteral(stmt.expression)) break;
    if (stmt.expression.text === "use strict") return false;
  }
  return true;
}
