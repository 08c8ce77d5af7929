// The statsd daemon 0.9 logs with util.log, which Node 23 removed: give it back (test server only).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS preload (node -r), loaded before any module system of ours
const util = require("node:util");
if (typeof util.log !== "function") {
  util.log = (...args) => console.log(new Date().toISOString(), "-", util.format(...args));
}
