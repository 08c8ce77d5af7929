// The statsd daemon 0.9 logs with util.log, which Node 23 removed: give it back (test server only).
const util = require("node:util");
if (typeof util.log !== "function") {
  util.log = (...args) => console.log(new Date().toISOString(), "-", util.format(...args));
}
