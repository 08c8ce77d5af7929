// Many concurrent request chains with random delays across timers, events, streams and
// Promise.all. Every chain is its own flow; filtering the output by one g[NN] gives one chain.
// Run: FUNCTRACE=on node examples/async-demo.mjs [chains]   (or: npm run demo:async)
import { EventEmitter } from "node:events";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { trace, traced } from "functrace";

let seed = 42;
/** Deterministic pseudo-random delays, so runs are comparable. */
function random(max) {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % max;
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function parseRecord(text) {
  const end = trace("demo.parseRecord");
  try {
    return { id: text, size: text.length };
  } finally {
    end();
  }
}

function checksum(chunk) {
  const end = trace("demo.checksum");
  try {
    let sum = 0;
    for (const ch of chunk) sum = (sum * 31 + ch.charCodeAt(0)) >>> 0;
    return sum;
  } finally {
    end();
  }
}

const fetchRecord = traced("demo.fetchRecord", async function fetchRecord(id) {
  await delay(random(8));
  return parseRecord(`record-${id}`);
});

const readStream = traced("demo.readStream", async function readStream(id) {
  const sums = [];
  for await (const chunk of Readable.from([`a${id}`, `b${id}`, `c${id}`])) {
    sums.push(checksum(chunk));
  }
  return sums;
});

const waitForEvent = traced("demo.waitForEvent", function waitForEvent(id) {
  const emitter = new EventEmitter();
  const done = new Promise((resolve) => emitter.once("ready", resolve));
  setTimeout(() => emitter.emit("ready", id), random(5));
  return done;
});

const notify = traced("demo.notify", function notify(id) {
  return `sent ${id}`;
});

const handleRequest = traced("demo.handleRequest", async function handleRequest(id) {
  const record = await fetchRecord(id);
  const [sums] = await Promise.all([readStream(id), delay(random(4))]);
  await waitForEvent(id);
  notify(id);
  return { record, sums };
});

/** Runs `chains` concurrent request chains under one traced main; resolves to their results. */
export async function runAsyncDemo({ chains = 20 } = {}) {
  const main = traced("demo.main", async function main() {
    return Promise.all(Array.from({ length: chains }, (_, i) => handleRequest(i)));
  });
  return main();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await runAsyncDemo({ chains: Number(process.argv[2] ?? 20) });
  process.stdout.write(`async demo: ${results.length} chains done\n`);
}
