import type { IncomingMessage, ServerResponse } from "node:http";
import { beginRequest, endRequest } from "./request-frames.js";
import type { Flow, Frame } from "../frame.js";
import { FlowLink } from "../export/span-ids.js";
import { remoteParentOf } from "./propagation.js";
import { fromOwnExport } from "./export-sockets.js";
import type { Socket } from "node:net";

/*
 * Every incoming request starts a trace of its own: Node's HTTP server publishes
 * `http.server.request.start` just before it emits `request`, and `http.server.response.finish`
 * when the response is done. No OpenTelemetry package is needed. When OpenTelemetry's HTTP
 * instrumentation is installed (it wraps Server.prototype.emit), its server span is the root
 * and the context bridge hangs function spans under it, as before: nothing is done here then.
 */

interface ServerMessage {
  request: IncomingMessage;
  response: ServerResponse;
  socket: Socket | undefined;
  server: { emit?: unknown };
}

const open = new WeakMap<ServerResponse, Frame>();

function wrappedByOpenTelemetry(server: { emit?: unknown }): boolean {
  const emit = server.emit;
  return typeof emit === "function" && (emit as { __wrapped?: unknown }).__wrapped === true;
}

/** Path without the query string (never the full URL: queries carry secrets). */
function pathOf(url: string | undefined): string {
  if (url === undefined) return "/";
  const q = url.search(/[?#]/);
  return q < 0 ? url : url.slice(0, q);
}

export function onRequestStart(message: unknown): void {
  const { request, response, socket, server } = message as ServerMessage;
  if (wrappedByOpenTelemetry(server) || fromOwnExport(socket)) return;
  const method = typeof request.method === "string" ? request.method : "GET";
  const path = pathOf(request.url);
  const remote = remoteParentOf(request.headers);
  const link = (flow: Flow): void => {
    flow.ext = new FlowLink(remote?.traceId, remote?.spanId);
  };
  const frame = beginRequest(`${method} ${path}`, { method, path, status: 0 }, remote?.sampled, link);
  if (frame !== null) open.set(response, frame);
}

export function onResponseFinish(message: unknown): void {
  const { response } = message as ServerMessage;
  const frame = open.get(response);
  if (frame === undefined) return;
  open.delete(response);
  endRequest(frame, response.statusCode);
}
