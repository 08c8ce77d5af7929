import type { TraceModel } from "../cli/model.js";
import { encodeModel } from "./encode.js";
import { PAGE_SCRIPT } from "./page-script.js";
import { PAGE_STYLE } from "./page-style.js";

export interface ViewerOptions {
  /** Shown in the page's title bar. */
  title: string;
}

/** JSON that is safe inside a <script> element (no `</script>`, no `<!--`). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

/**
 * One self-contained HTML file: the page's code and style inline, the spans inline as a compact
 * encoding (string table + gzipped varint columns, `encode.ts`). No network, no CDN: it opens
 * from disk.
 */
export function renderViewer(model: TraceModel, options: ViewerOptions): string {
  const { meta, data } = encodeModel(model, options.title);
  const title = escapeHtml(`functrace · ${options.title}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src blob: data:">
<title>${title}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
  <strong>functrace</strong> <span id="file">${escapeHtml(options.title)}</span>
  <input id="search" type="search" placeholder="function name: chains, highlight" autocomplete="off" spellcheck="false">
  <ul id="results" hidden></ul>
  <span id="status">loading…</span>
</header>
<main>
  <nav><div class="pane-title">requests / traces and flows</div><div id="list"><div id="list-spacer"></div><div id="list-rows"></div></div></nav>
  <section id="center">
    <div class="toolbar"><span id="flame-title"></span><span class="spacer"></span><span id="range"></span>
      <button id="zoom-in" title="zoom in">+</button><button id="zoom-out" title="zoom out">−</button><button id="zoom-fit" title="fit the trace">fit</button></div>
    <div id="flame-box"><canvas id="flame"></canvas></div>
    <div id="chains" hidden></div>
  </section>
  <aside id="details"><p class="meta">Click a span for its duration, exception, file and causal chain. Wheel scrolls the flows; ctrl+wheel zooms; drag pans.</p></aside>
</main>
<script type="application/json" id="ft-meta">${scriptJson(meta)}</script>
<script type="application/octet-stream" id="ft-data">${data}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
