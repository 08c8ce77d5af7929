import { ts } from "./ts.js";
import type { TextEdit } from "./apply-edits.js";

const IMPORT_RE = /^(?:import \{ __ft \} from (".*");|const \{ __ft \} = require\((".*")\);|var __ft = require\((".*")\)\.__ft;)$/;

/**
 * The deletion that takes out the injected runtime import: ` import ...;` right after a
 * directive prologue on its line, or `import ...; ` at the start of the first statement.
 */
export function findImport(sf: ts.SourceFile): TextEdit | undefined {
  const statements = sf.statements;
  for (let i = 0; i < statements.length; i++) {
    const stmt = statements[i];
    const isDirective = ts.isExpressionStatement(stmt) && ts.isStringLiteral(stmt.expression);
    if (!isDirective && !IMPORT_RE.test(stmt.getText(sf))) return undefined;
    if (isDirective) continue;
    const start = stmt.getStart(sf);
    const prev = statements[i - 1];
    if (prev && prev.end === start - 1 && sf.text.charAt(start - 1) === " ") return { pos: start - 1, end: stmt.end, text: "", rank: 0 };
    if (sf.text.charAt(stmt.end) === " ") return { pos: start, end: stmt.end + 1, text: "", rank: 0 };
    return undefined;
  }
  return undefined;
}
