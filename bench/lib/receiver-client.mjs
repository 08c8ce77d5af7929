// Starts bench/lib/receiver.mjs in its own process and talks to it.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { get } from "node:http";

const RECEIVER = fileURLToPath(new URL("./receiver.mjs", import.meta.url));

/** Starts a receiver; resolves to { base, port, stats(), stop() }. */
export function startReceiver(delayMs = 0) {
  const child = spawn(process.execPath, [RECEIVER, "--delay-ms", String(delayMs)], { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let text = "";
    child.once("error", reject);
    child.stdout.on("data", (chunk) => {
      text += chunk;
      const m = /port (\d+)/.exec(text);
      if (!m) return;
      child.stdout.removeAllListeners("data");
      const port = Number(m[1]);
      resolve({
        port,
        base: `http://127.0.0.1:${port}`,
        stats: () => getJson(`http://127.0.0.1:${port}/stats`),
        stop: () => {
          child.stdin.end();
          child.kill("SIGTERM");
        },
      });
    });
  });
}

function getJson(url) {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve(JSON.parse(body)));
    }).on("error", reject);
  });
}
