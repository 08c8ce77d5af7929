#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS bin shim over the built CLI */
"use strict";
require("../dist/cjs/cli/main.js").main();
