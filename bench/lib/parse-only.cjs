/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS script */
// Baseline of the codemod rows: parse the same files with the parser the codemod uses (ts-morph's
// TypeScript, JSDoc parsing off, no parent pointers): what any AST codemod pays at least, in a
// fresh process like the CLI.
//   node parse-only.cjs <files or folders...>     (folders: every .js/.cjs/.mjs below)
//   node parse-only.cjs --list <file>             (one path per line, e.g. what the codemod discovered)
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { ts } = require("ts-morph");

let nodes = 0;
const kind = (f) => (/\.tsx$/.test(f) ? ts.ScriptKind.TSX : /\.jsx$/.test(f) ? ts.ScriptKind.JSX : /\.[cm]?js$/.test(f) ? ts.ScriptKind.JS : ts.ScriptKind.TS);
function parse(file) {
  const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
  const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), options, false, kind(file));
  nodes += sf.statements.length;
}
function walk(p) {
  if (fs.statSync(p).isDirectory()) for (const n of fs.readdirSync(p)) walk(path.join(p, n));
  else if (/\.(c|m)?js$/.test(p)) parse(p);
}
const args = process.argv.slice(2);
if (args[0] === "--list") for (const f of fs.readFileSync(args[1], "utf8").split("\n").filter(Boolean)) parse(f);
else for (const p of args) walk(p);
process.stdout.write(`parsed, ${nodes} top-level statements\n`);
