import { instrumentText } from "../../src/codemod/index";
import { instrumentationMap } from "../../src/integrations/source-map";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decodes v3 mappings into [genLine][i] = [genCol, srcLine, srcCol] (0-based). */
function decode(mappings: string): number[][][] {
  let srcLine = 0;
  let srcCol = 0;
  return mappings.split(";").map((line) => {
    let gen = 0;
    return line === ""
      ? []
      : line.split(",").map((seg) => {
          const values: number[] = [];
          let shift = 0;
          let value = 0;
          for (const ch of seg) {
            const digit = B64.indexOf(ch);
            value += (digit & 31) << shift;
            if (digit & 32) shift += 5;
            else {
              values.push(value & 1 ? -(value >>> 1) : value >>> 1);
              value = shift = 0;
            }
          }
          gen += values[0];
          srcLine += values[2];
          srcCol += values[3];
          return [gen, srcLine, srcCol];
        });
  });
}

function original(map: number[][][], line: number, col: number): [number, number] {
  const segs = map[line].filter(([gen]) => gen <= col);
  const [, l, c] = segs[segs.length - 1];
  return [l, c];
}

test("every original token of an instrumented file maps back to its line and column", () => {
  const src = "export async function f(a) {\n  const x = await g(a);\n  return x + 1;\n}\nexport const h = (v) => v * 2;\n";
  const out = instrumentText(src, { fileName: "a.mjs" }).text;
  const map = instrumentationMap(src, out, "a.mjs");
  expect(map.sourcesContent).toEqual([src]);
  const decoded = decode(map.mappings);
  const lines = out.split("\n");
  const srcLines = src.split("\n");
  for (const [line, token] of [[0, "async"], [0, "(a)"], [1, "const x"], [1, "g(a)"], [2, "x + 1"], [3, "}"], [4, "v * 2"], [4, "(v)"]] as const) {
    expect([token, original(decoded, line, lines[line].indexOf(token))]).toEqual([token, [line, srcLines[line].indexOf(token)]]);
  }
  // injected text maps to where it was inserted: the import, before `export`
  expect(original(decoded, 0, 0)).toEqual([0, 0]);
});
