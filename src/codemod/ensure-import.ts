import { ts } from "./ts.js";
import { closeRank, type TextEdit } from "./apply-edits.js";
import { importStatement, type DeclKeyword } from "./templates.js";

/** Module style of a file: decides `import` vs `require`. */
export type ModuleStyle = "esm" | "cjs";

/**
 * The module style to inject. TypeScript files always get `import` (tsc turns it into `require`
 * for CommonJS output); `.mjs`/`.cjs` decide by extension; other JavaScript by its own syntax,
 * then by the caller's hint (the nearest package.json `type`), then CommonJS.
 */
export function moduleStyle(fileName: string, hasModuleSyntax: boolean, hint?: ModuleStyle): ModuleStyle {
  if (/\.[cm]?tsx?$/i.test(fileName)) return "esm";
  if (/\.mjs$/i.test(fileName)) return "esm";
  if (/\.cjs$/i.test(fileName)) return "cjs";
  if (hasModuleSyntax) return "esm";
  return hint ?? "cjs";
}

/**
 * The edit that adds the runtime import, on an existing line: after a directive prologue that
 * ends with `;` (` import ...;`, same line), otherwise at the start of the first statement
 * (`import ...; `), so leading comments, pragmas and `/// <reference>` lines stay in front.
 */
export function importEdit(sf: ts.SourceFile, style: ModuleStyle, decl: DeclKeyword, from: string): TextEdit {
  const stmt = importStatement(style, decl, from);
  const statements = sf.statements;
  let i = 0;
  while (i < statements.length && ts.isExpressionStatement(statements[i]) && ts.isStringLiteral((statements[i] as ts.ExpressionStatement).expression)) i++;
  const rank = closeRank(1_000_000); // before anything else at the same position
  if (i > 0 && sf.text.charCodeAt(statements[i - 1].end - 1) === 59 /* ; */) {
    return { pos: statements[i - 1].end, end: statements[i - 1].end, text: ` ${stmt}`, rank };
  }
  const pos = i < statements.length ? statements[i].getStart(sf) : sf.end;
  return { pos, end: pos, text: `${stmt} `, rank };
}
