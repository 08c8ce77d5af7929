import { BOOT_PART } from "./page-script/boot.js";
import { CHAINS_PART } from "./page-script/chains.js";
import { CORE_PART } from "./page-script/core.js";
import { DECODE_PART } from "./page-script/decode.js";
import { DETAILS_PART } from "./page-script/details.js";
import { FLAME_LAYOUT_PART } from "./page-script/flame-layout.js";
import { FLAME_PAINT_PART } from "./page-script/flame-paint.js";
import { FLAME_POINTER_PART } from "./page-script/flame-pointer.js";
import { FLOW_LIST_PART } from "./page-script/flow-list.js";
import { INDEXES_PART } from "./page-script/indexes.js";
import { SEARCH_PART } from "./page-script/search.js";

/**
 * The page script's parts in page order, one inner list a section of the page (a blank line
 * between sections, none between the parts of one). The parts are not modules: they are pieces
 * of one closure's body and share its variables (`st`, `C`, `hooks`, ...), because the page gets
 * source text, not compiled code; their order is the order their top-level statements run in.
 */
export const PAGE_SCRIPT_SECTIONS: readonly (readonly string[])[] = [
  [CORE_PART],
  [DECODE_PART],
  [INDEXES_PART],
  [FLOW_LIST_PART],
  [FLAME_LAYOUT_PART, FLAME_PAINT_PART, FLAME_POINTER_PART],
  [DETAILS_PART],
  [CHAINS_PART],
  [SEARCH_PART],
  [BOOT_PART],
];

/** A part's lines as the page has them: the template's opening newline is there for the source file only. */
function partLines(part: string): string {
  return part.slice(1);
}

/**
 * The viewer page's code, as a string embedded into the HTML (no copy step, no network). Plain
 * ES2020 for the browser: no part may contain a backquote or a dollar-brace (each lives in a
 * String.raw template). `test/viewer` runs it in Chromium.
 */
export const PAGE_SCRIPT =
  String.raw`
(function () {
  "use strict";
` +
  PAGE_SCRIPT_SECTIONS.map((parts) => parts.map(partLines).join("")).join("\n") +
  String.raw`})();
`;
