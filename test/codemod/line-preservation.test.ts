import ts from "typescript";
import { instrumentFixture, listFixtures } from "./fixtures.js";
import { scriptKindOf } from "../../src/codemod/parse.js";

/** `line → statement kinds` of every statement that starts on that line. */
function statementLines(text: string, fileName: string): Map<number, ts.SyntaxKind[]> {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
  const byLine = new Map<number, ts.SyntaxKind[]>();
  const visit = (node: ts.Node): void => {
    if (ts.isStatement(node) || ts.isClassElement(node)) {
      const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      byLine.set(line, [...(byLine.get(line) ?? []), node.kind]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return byLine;
}

/** Is `small` a subsequence of `big` (insertions only)? */
function isSubsequence(small: string, big: string): boolean {
  let i = 0;
  for (let j = 0; j < big.length && i < small.length; j++) if (big[j] === small[i]) i++;
  return i === small.length;
}

describe("line preservation", () => {
  it.each(listFixtures().map((f) => [f.name, f] as const))("should keep every line and statement of %s on its line", (_n, f) => {
    const out = instrumentFixture(f).text;
    const before = f.input.split("\n");
    const after = out.split("\n");
    expect(after).toHaveLength(before.length);
    before.forEach((line, i) => expect({ line: i + 1, ok: isSubsequence(line, after[i]) }).toEqual({ line: i + 1, ok: true }));
    const fileName = `x${f.ext}`;
    const original = statementLines(f.input, fileName);
    const instrumented = statementLines(out, fileName);
    for (const [line, kinds] of original) {
      const have = [...(instrumented.get(line) ?? [])];
      for (const kind of kinds) {
        const at = have.indexOf(kind);
        expect({ line, kind: ts.SyntaxKind[kind], found: at >= 0 }).toEqual({ line, kind: ts.SyntaxKind[kind], found: true });
        have.splice(at, 1);
      }
    }
  });
});
