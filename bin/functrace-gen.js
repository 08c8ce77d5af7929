#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS bin shim over the built CLI */
"use strict";
// Node 22.1+: keep V8's compiled code of the compiler (and of this CLI) on disk between runs, as
// TypeScript's own tsc does; loading typescript.js is then mostly a cache read. A no-op on Node 20.
try {
  require("node:module").enableCompileCache?.();
} catch {
  // no cache: only slower
}
// The codemod parses with the TypeScript compiler, an optional peer dependency: a production
// install of the runtime does not bring it (22 MB). Say how to get it when it is missing.
let cli;
try {
  cli = require("../dist/cjs/codemod/cli.js");
} catch (err) {
  if (err && err.code === "MODULE_NOT_FOUND" && /'typescript'/.test(String(err.message))) {
    process.stderr.write(
      "functrace-gen: needs the TypeScript compiler (the optional peer dependency `typescript`, 5.3 or later).\n" +
        "  in a project: npm install -D typescript\n" +
        "  or at once:   npx -p functrace -p typescript functrace-gen -w src/\n",
    );
    process.exit(2);
  }
  throw err;
}
cli.run(require("../package.json").version);
