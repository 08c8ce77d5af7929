import * as dc from "node:diagnostics_channel";
import { internalError } from "../diag.js";
import { onRequestStart, onResponseFinish } from "./server-requests.js";
import { onClientRequestCreated, onClientRequestStart, onUndiciRequestCreate } from "./client-propagation.js";

/*
 * HTTP requests as traces, through Node's built-in diagnostics channels (no monkey-patching, no
 * OpenTelemetry needed). Subscribed once tracing is active; every handler is guarded: a failure
 * here is reported once and the program's request goes on untouched.
 */
const CHANNELS: [string, (message: unknown) => void][] = [
  ["http.server.request.start", onRequestStart],
  ["http.server.response.finish", onResponseFinish],
  ["http.client.request.created", onClientRequestCreated],
  ["http.client.request.start", onClientRequestStart],
  ["undici:request:create", onUndiciRequestCreate],
];

const guarded = CHANNELS.map(([name, handler]): [string, (message: unknown) => void] => [
  name,
  (message) => {
    try {
      handler(message);
    } catch (error) {
      internalError(`http tracing (${name})`, error);
    }
  },
]);

let subscribed = false;

/** Starts following HTTP requests (idempotent). */
export function enableHttpTracing(): void {
  if (subscribed) return;
  subscribed = true;
  for (const [name, handler] of guarded) dc.subscribe(name, handler);
}

/** Stops following HTTP requests (tests; `configure({ http: false })`). */
export function disableHttpTracing(): void {
  if (!subscribed) return;
  subscribed = false;
  for (const [name, handler] of guarded) dc.unsubscribe(name, handler);
}

let wanted = true;

/** Follows HTTP requests once tracing is active, unless turned off (`configure({ http: false })`, FUNCTRACE_HTTP=off). */
export function autoEnableHttpTracing(): void {
  if (wanted) enableHttpTracing();
}

/** The `http` setting: false stops following requests, true starts again. */
export function setHttpTracing(on: boolean): void {
  wanted = on;
  if (on) enableHttpTracing();
  else disableHttpTracing();
}
