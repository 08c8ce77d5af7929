import { S } from "../state.js";
import type { Frame } from "../frame.js";
import { spanIdOf, traceIdOf } from "../export/span-ids.js";
import { formatTraceparent } from "./propagation.js";
import { noteClientRequest } from "./export-sockets.js";
import type { Socket } from "node:net";

/*
 * Outgoing requests carry the trace on: a `traceparent` header naming the traced call that
 * makes the request (or the request being served, when no traced call is running). node:http
 * requests through `http.client.request.created` (Node 22.14+ / 23.2+: on older Node the headers
 * are already sent when a channel fires, so nothing is added), fetch through undici's
 * `undici:request:create`. A header the program (or OpenTelemetry) set is never replaced.
 */

/** The span an outgoing request is made in: the innermost reported call, else the request. */
function currentSpan(): Frame | undefined {
  let frame: Frame | null | undefined = S.cursor.cur ?? S.als.getStore();
  while (frame !== null && frame !== undefined && !frame.visible) {
    const parent: Frame | null = frame.parent;
    if (parent === null || parent.flow !== frame.flow) return undefined;
    frame = parent;
  }
  return frame === null || frame === undefined || frame.id === 0 ? undefined : frame;
}

function traceparent(): string | undefined {
  if (!S.active) return undefined;
  const frame = currentSpan();
  if (frame === undefined || !frame.flow.sampled) return undefined;
  return formatTraceparent(traceIdOf(frame.flow), spanIdOf(frame), true);
}

interface NodeClientRequest {
  socket?: Socket | null;
  once(event: "socket", fn: (socket: Socket) => void): unknown;
  headersSent?: boolean;
  getHeader(name: string): unknown;
  setHeader(name: string, value: string): void;
}

export function onClientRequestCreated(message: unknown): void {
  const request = (message as { request: NodeClientRequest }).request;
  noteClientRequest(request);
  if (request.headersSent === true || request.getHeader("traceparent") !== undefined) return;
  const value = traceparent();
  if (value !== undefined) request.setHeader("traceparent", value);
}

interface UndiciRequest {
  headers: string | string[];
  addHeader(name: string, value: string): unknown;
}

function hasTraceparent(headers: string | string[]): boolean {
  if (typeof headers === "string") return /(^|\r\n)traceparent:/i.test(headers);
  for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === "traceparent") return true;
  return false;
}

export function onUndiciRequestCreate(message: unknown): void {
  const request = (message as { request: UndiciRequest }).request;
  if (hasTraceparent(request.headers)) return;
  const value = traceparent();
  if (value !== undefined) request.addHeader("traceparent", value);
}

/** Node 20 has no `created` channel: `start` (headers already sent) still tells the exporters' sockets apart. */
export function onClientRequestStart(message: unknown): void {
  noteClientRequest((message as { request: NodeClientRequest }).request);
}
