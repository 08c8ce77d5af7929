#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS bin shim over the built CLI */
"use strict";
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
