// marked workload: a large, varied Markdown corpus (generated from a seed) rendered through the
// ESM bundle with several option sets, the lexer, inline parsing, a customised instance
// (renderer, tokenizer, walkTokens, hooks, an extension) and async rendering.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { main, rng, ser } from "./common.mjs";

const WORDS = [
  "alpha",
  "beta",
  "gamma",
  "délta",
  "ε",
  "日本語",
  "x_y_z",
  "foo*bar",
  "a\\*b",
  "snake_case_word",
  "http://example.com",
  "www.test.org",
  "user@mail.com",
  "&amp;",
  "&copy;",
  "<b>",
  "1.",
  "#tag",
  "`tick`",
  "~tilde~",
  "|pipe|",
  "[x]",
  "a  ",
  "\t",
];

/** Inline text with emphasis, code, links, images, autolinks, html, escapes and breaks. */
function inline(r, n = 3 + r.int(10)) {
  const parts = [];
  for (let i = 0; i < n; i++) {
    const w = r.pick(WORDS);
    switch (r.int(16)) {
      case 0:
        parts.push(`*${w}*`);
        break;
      case 1:
        parts.push(`**${w} ${r.pick(WORDS)}**`);
        break;
      case 2:
        parts.push(`***${w}***`);
        break;
      case 3:
        parts.push(`_${w}_`);
        break;
      case 4:
        parts.push(`\`${w}\``);
        break;
      case 5:
        parts.push(`[${w}](http://example.com/${r.int(100)} "t${r.int(9)}")`);
        break;
      case 6:
        parts.push(`![${w}](img/${r.int(9)}.png)`);
        break;
      case 7:
        parts.push(`<https://auto.link/${w}>`);
        break;
      case 8:
        parts.push(`~~${w}~~`);
        break;
      case 9:
        parts.push(`<span class="c${r.int(3)}">${w}</span>`);
        break;
      case 10:
        parts.push(`\\${r.pick(["*", "_", "#", "[", "`", "\\", "<"])}${w}`);
        break;
      case 11:
        parts.push(`${w}  \n`);
        break;
      case 12:
        parts.push(`[${w}][ref${r.int(4)}]`);
        break;
      case 13:
        parts.push(`*${w} **${r.pick(WORDS)}* ${r.pick(WORDS)}**`);
        break;
      case 14:
        parts.push(`\`\`co\`de ${w}\`\``);
        break;
      default:
        parts.push(w);
    }
  }
  return parts.join(r.int(5) === 0 ? "" : " ");
}

function list(r, depth) {
  const ordered = r.int(2) === 0;
  const marker = ordered ? r.pick(["1.", "1)", "3."]) : r.pick(["-", "*", "+"]);
  const loose = r.int(3) === 0;
  const lines = [];
  const n = 1 + r.int(5);
  for (let i = 0; i < n; i++) {
    const m = ordered ? marker.replace(/^\d+/, String(Number(marker[0]) + i)) : marker;
    const task = !ordered && r.int(4) === 0 ? r.pick(["[ ] ", "[x] ", "[X] "]) : "";
    lines.push(`${"  ".repeat(depth * 2)}${m} ${task}${inline(r, 2 + r.int(5))}`);
    if (depth < 3 && r.int(4) === 0) lines.push(list(r, depth + 1));
    if (r.int(8) === 0)
      lines.push(
        `${"  ".repeat(depth * 2)}   \`\`\`\n${"  ".repeat(depth * 2)}   code in list\n${"  ".repeat(depth * 2)}   \`\`\``,
      );
    if (loose) lines.push("");
  }
  return lines.join("\n");
}

function table(r) {
  const cols = 1 + r.int(5);
  const align = Array.from({ length: cols }, () => r.pick(["---", ":---", ":---:", "---:", "-"]));
  const row = () =>
    `| ${Array.from({ length: cols - (r.int(6) === 0 ? 1 : 0) }, () => inline(r, 1 + r.int(2)).replace(/\n/g, " ")).join(" | ")} |`;
  const rows = [row(), `|${align.join("|")}|`];
  for (let i = r.int(6); i > 0; i--) rows.push(r.int(7) === 0 ? "a \\| b | c" : row());
  return rows.join("\n");
}

/** One block of any kind. */
function block(r, depth = 0) {
  switch (r.int(depth > 2 ? 12 : 15)) {
    case 0:
      return `${"#".repeat(1 + r.int(7))} ${inline(r, 1 + r.int(4))}${r.int(3) === 0 ? " ##" : ""}`;
    case 1:
      return `${inline(r, 2)}\n${r.pick(["===", "---", "= = ="])}`;
    case 2:
      return list(r, 0);
    case 3:
      return `\`\`\`${r.pick(["", "js", "python extra", "ts{1,3}", "<b>"])}\n${inline(r).replace(/`/g, "'")}\n  indented <tag> & stuff\n${r.int(6) === 0 ? "" : "```"}`;
    case 4:
      return `~~~\n${inline(r)}\n~~~`;
    case 5:
      return `    indented code ${r.int(100)}\n    second <line> &`;
    case 6:
      return table(r);
    case 7:
      return r.pick(["---", "***", "___", "- - -", "* * *"]);
    case 8:
      return r.pick([
        `<div class="x">\n${inline(r)}\n</div>`,
        "<!-- a comment -->",
        `<pre>\n  pre ${r.int(9)}\n</pre>`,
        "<script>var a = 1 < 2;</script>",
        "<details><summary>s</summary>\n\n*md inside*\n\n</details>",
      ]);
    case 9:
      return `[ref${r.int(4)}]: http://ref.example/${r.int(20)} "Ref title"`;
    case 10:
      return r.pick([
        "",
        "   ",
        "\t",
        "\\",
        "[[[",
        "]]]",
        "***",
        "* * * *",
        "> ",
        "#",
        "#5 not heading",
        "1.5 not list",
        "&#x26;&#38;&nbsp;",
        "\u0000nul",
        "line\r\nwith crlf\r\n",
        "a\u00a0b",
        "😀 emoji",
      ]);
    case 11:
      return inline(r, 5 + r.int(30));
    default:
      return block(r, depth + 1)
        .split("\n")
        .map((l) => `>${r.int(4) === 0 ? "" : " "}${l}`)
        .join("\n");
  }
}

/** A document of 1–30 blocks. */
function doc(r) {
  const blocks = [];
  for (let i = 1 + r.int(30); i > 0; i--) blocks.push(block(r));
  return blocks.join(r.pick(["\n\n", "\n", "\n\n\n"]));
}

const OPTION_SETS = [
  {},
  { gfm: false },
  { breaks: true },
  { pedantic: true },
  { gfm: true, breaks: true, silent: true },
];

function custom(m) {
  const seen = [];
  const instance = new m.Marked({
    renderer: {
      heading({ tokens, depth }) {
        return `<h${depth} data-custom>${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      codespan(token) {
        return `<kbd>${token.text}</kbd>`;
      },
    },
    walkTokens(token) {
      seen.push(token.type);
      if (token.type === "link") token.href = token.href.replace("example.com", "example.org");
    },
    hooks: {
      preprocess: (md) => md.replace(/alpha/g, "ALPHA"),
      postprocess: (html) => `<main>${html}</main>`,
    },
    extensions: [
      {
        name: "mention",
        level: "inline",
        start: (src) => src.indexOf("@"),
        tokenizer(src) {
          const match = /^@([a-z]+)/.exec(src);
          return match ? { type: "mention", raw: match[0], user: match[1] } : undefined;
        },
        renderer: (token) => `<a class="mention">${token.user}</a>`,
      },
    ],
  });
  return { instance, seen };
}

await main(async (rec, opts) => {
  const m = await import(pathToFileURL(join(opts.pkg, "lib", "marked.esm.js")).href);
  const r = rng(6);
  const corpus = Array.from({ length: 300 }, () => doc(r));
  rec.note(`corpus ${corpus.length} docs, ${corpus.reduce((a, d) => a + d.length, 0)} chars`);
  corpus.forEach((md, i) => {
    for (const [k, o] of OPTION_SETS.entries())
      rec.sync(`parse doc${i} opts${k}`, () => m.marked.parse(md, o));
  });
  corpus.forEach((md, i) => {
    if (i % 5 === 0)
      rec.sync(
        `lexer doc${i}`,
        () =>
          ser(m.lexer(md)).length +
          ":" +
          m
            .lexer(md)
            .map((t) => t.type)
            .join(","),
      );
    if (i % 5 === 1) rec.sync(`parseInline doc${i}`, () => m.parseInline(md.slice(0, 400)));
    if (i % 5 === 2)
      rec.sync(`Parser.parseInline doc${i}`, () => m.Parser.parseInline(m.Lexer.lexInline(md.slice(0, 400))));
  });
  const { instance, seen } = custom(m);
  corpus.forEach((md, i) => {
    if (i % 3 === 0) rec.sync(`custom doc${i}`, () => instance.parse(`${md}\n\nhi @someone and @other`));
  });
  rec.note(`walked ${seen.length} tokens: ${[...new Set(seen)].sort().join(",")}`);
  if (!opts.awaitedOnly)
    for (let i = 0; i < corpus.length; i += 10)
      await rec.async(`async doc${i}`, () => m.marked.parse(corpus[i], { async: true }));
  for (const bad of [null, undefined, 42, {}, ["# a"]]) {
    rec.sync(`parse(${ser(bad)})`, () => m.marked.parse(bad));
    rec.sync(`parse(${ser(bad)}) silent`, () => m.marked.parse(bad, { silent: true }));
  }
  rec.sync("use(bad extension)", () => new m.Marked().use({ extensions: [{ name: "x" }] }));
  rec.sync("getDefaults", () => m.getDefaults());
  rec.sync("function lengths", () =>
    Object.keys(m).map((k) => [k, typeof m[k] === "function" ? m[k].length : typeof m[k]]),
  );
});
