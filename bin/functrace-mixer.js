#!/usr/bin/env node
"use strict";
require("../dist/cjs/mixer/cli/main.js").main();
