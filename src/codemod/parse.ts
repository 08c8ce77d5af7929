import { ts } from "ts-morph";

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
  const diags = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  if (diags.length > 0) {
    const d = diags[0];
    const { line, character } = sf.getLineAndCharacterOfPosition(d.start);
    throw new ParseError(fileName, line + 1, character + 1, ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  }
  return sf;
}
