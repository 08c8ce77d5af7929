/* eslint-disable @typescript-eslint/no-require-imports */
// A statsd (npm `statsd` 0.9) backend for tests: appends every flush as one JSON line to
// `config.flushFile`. Loaded by the daemon with `backends: ["<absolute path to this file>"]`.
"use strict";
const fs = require("fs");

exports.init = function init(_startupTime, config, events) {
  events.on("flush", (timestamp, metrics) => {
    const row = { timestamp, counters: metrics.counters, gauges: metrics.gauges, timers: metrics.timers, timer_counters: metrics.timer_counters };
    fs.appendFileSync(config.flushFile, JSON.stringify(row) + "\n");
  });
  return true;
};
