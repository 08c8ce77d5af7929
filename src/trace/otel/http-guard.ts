import { AsyncLocalStorage } from "node:async_hooks";
import { subscribe } from "node:diagnostics_channel";
import type { ClientRequest } from "node:http";

/*
 * Some SDK exporters (Zipkin's) send with no timeout: a receiver that accepts the connection
 * and never answers would hold a socket, and with it the program's exit, forever. Requests
 * created while an export runs are found through the `http.client.request.start` diagnostics
 * channel: their sockets are unref'd (exporting never keeps the program alive) and they are
 * aborted after the export timeout.
 */
const exporting = new AsyncLocalStorage<number>();
let subscribed = false;

function onRequest(message: unknown): void {
  const timeoutMs = exporting.getStore();
  if (timeoutMs === undefined) return;
  const request = (message as { request?: ClientRequest }).request;
  if (request === undefined) return;
  request.setTimeout(timeoutMs, () => request.destroy(new Error(`export request timed out after ${timeoutMs} ms`)));
  request.on("socket", (socket) => socket.unref());
}

/** Runs an export; HTTP requests it starts are unref'd and time out after `timeoutMs`. */
export function runGuarded<T>(timeoutMs: number, fn: () => T): T {
  if (!subscribed) {
    subscribed = true;
    subscribe("http.client.request.start", onRequest);
  }
  return exporting.run(timeoutMs, fn);
}
