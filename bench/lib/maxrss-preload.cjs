// Preloaded (node --require) into a measured process: reports its peak RSS (KiB) at exit.
"use strict";
process.on("exit", () => {
  process.stderr.write(`\n@@FT-MAXRSS@@${process.resourceUsage().maxRSS}\n`);
});
