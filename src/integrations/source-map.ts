import { diffWordsWithSpace } from "diff";

/** A source map v3 object, as bundlers take it from a transform hook. */
export interface RawSourceMap {
  version: 3;
  sources: string[];
  sourcesContent: string[];
  names: string[];
  mappings: string;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function vlq(value: number): string {
  let v = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = "";
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += B64[digit];
  } while (v > 0);
  return out;
}

const TOKEN_RE = /[\w$]+|\s+|[^\w$\s]/g;

/** One segment per token of a run of original text, so every token maps to its own column. */
function pushTokens(segments: Array<[number, number]>, text: string, gen: number, orig: number): void {
  for (const m of text.matchAll(TOKEN_RE)) segments.push([gen + m.index, orig + m.index]);
}

/**
 * The map from instrumented text back to the original. The codemod keeps every line and only
 * inserts text within lines, so each line maps to itself; a changed line is aligned with its
 * original by a word diff (tokens, so `import` never pairs with `export`), every original token
 * maps to its own column and injected text to the column where it was inserted.
 */
export function instrumentationMap(original: string, instrumented: string, source: string): RawSourceMap {
  const before = original.split("\n");
  const after = instrumented.split("\n");
  const lines: string[] = [];
  let prevSrcLine = 0;
  let prevSrcCol = 0;
  for (let line = 0; line < after.length; line++) {
    const segments: Array<[number, number]> = []; // [generated column, original column]
    const o = before[line] ?? "";
    if (o === after[line]) pushTokens(segments, o, 0, 0);
    else {
      let gen = 0;
      let orig = 0;
      for (const part of diffWordsWithSpace(o, after[line])) {
        if (part.removed) orig += part.value.length;
        else if (part.added) {
          segments.push([gen, orig]);
          gen += part.value.length;
        } else {
          pushTokens(segments, part.value, gen, orig);
          gen += part.value.length;
          orig += part.value.length;
        }
      }
    }
    let prevGen = 0;
    lines.push(
      segments
        .map(([gen, col]) => {
          const s = vlq(gen - prevGen) + vlq(0) + vlq(line - prevSrcLine) + vlq(col - prevSrcCol);
          prevGen = gen;
          prevSrcLine = line;
          prevSrcCol = col;
          return s;
        })
        .join(","),
    );
  }
  return { version: 3, sources: [source], sourcesContent: [original], names: [], mappings: lines.join(";") };
}
