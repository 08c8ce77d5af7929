import type { Socket } from "node:net";
import { isSuppressed } from "../export/suppress.js";

/*
 * The exporters' own requests (spans to Zipkin, OTLP, ...) must not become traced requests when
 * the receiver runs in the same process (a test, an embedded collector): that would export a
 * span per export, forever. Client sockets used inside export work are remembered by their
 * local address; a server request arriving from one of them is not traced.
 */
const ours = new Set<string>();
/** Sockets already remembered: a keep-alive socket carries many export requests, one listener. */
const seen = new WeakSet<Socket>();

function key(address: string | undefined, port: number | undefined): string {
  return `${address ?? ""}:${port ?? 0}`;
}

function remember(socket: Socket): void {
  if (seen.has(socket)) return;
  seen.add(socket);
  const add = (): void => {
    const k = key(socket.localAddress, socket.localPort);
    ours.add(k);
    socket.once("close", () => ours.delete(k));
  };
  if (socket.localPort !== undefined) add();
  else socket.once("connect", add);
}

/** An outgoing request is being made: remember its socket when export work makes it. */
export function noteClientRequest(request: { socket?: Socket | null; once(event: "socket", fn: (socket: Socket) => void): unknown }): void {
  if (!isSuppressed()) return;
  if (request.socket) remember(request.socket);
  else request.once("socket", remember);
}

/** True for a server request sent by this process's own export work. */
export function fromOwnExport(socket: Socket | undefined): boolean {
  return ours.size !== 0 && socket !== undefined && ours.has(key(socket.remoteAddress, socket.remotePort));
}
