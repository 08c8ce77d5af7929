import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { parseAddress } from "./config.js";

/** What one handler exposes: its registry's text and content type. */
export interface ExpositionSource {
  /** Handler FQN: a newer source with the same name hides the older one (config reload). */
  readonly name: string;
  readonly contentType: string;
  render(): Promise<string>;
}

/** A source's hold on an endpoint; `release()` stops the server when it was the last. */
export interface ExpositionLease {
  /** The bound `host:port` (the real port when the config said `:0`). */
  readonly address: string;
  release(): Promise<void>;
}

const OPENMETRICS_EOF = "# EOF\n";

/**
 * One HTTP endpoint (`GET /metrics`) shared by every prometheus handler configured with the same
 * address, as Mixer shares one server between its handlers. Several handlers' texts are
 * concatenated; during a config reload the new handler (same FQN) replaces the old one at once,
 * so the port never has to be freed and re-bound. The listening socket and its connections are
 * unref'd: the endpoint never keeps an otherwise idle process alive.
 */
class ExpositionServer {
  readonly key: string;
  private readonly _server: Server;
  private readonly _sources: ExpositionSource[] = [];
  private readonly _sockets = new Set<Socket>();
  address = "";

  constructor(key: string) {
    this.key = key;
    this._server = createServer((req, res) => void this._serve(req, res));
    this._server.requestTimeout = 10_000;
    this._server.headersTimeout = 10_000;
    this._server.keepAliveTimeout = 5_000;
    this._server.on("connection", (s: Socket) => {
      s.unref();
      this._sockets.add(s);
      s.on("close", () => this._sockets.delete(s));
    });
  }

  listen(host: string | undefined, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      this._server.once("error", onError);
      this._server.listen({ host, port }, () => {
        this._server.off("error", onError);
        this._server.on("error", () => undefined); // runtime socket errors never crash the host
        this._server.unref();
        const a = this._server.address() as AddressInfo;
        this.address = a.family === "IPv6" ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
        resolve();
      });
    });
  }

  /** The sources served: the newest per handler name, in attach order. */
  active(): ExpositionSource[] {
    const out: ExpositionSource[] = [];
    for (let i = this._sources.length - 1; i >= 0; i--) {
      const s = this._sources[i];
      if (!out.some((o) => o.name === s.name)) out.unshift(s);
    }
    return out;
  }

  attach(src: ExpositionSource): void {
    const other = this.active().find((s) => s.name !== src.name && s.contentType !== src.contentType);
    if (other !== undefined) {
      throw new Error(`address ${this.key} already serves handler '${other.name}' as ${other.contentType}; handlers sharing an address must use the same exposition_format`);
    }
    this._sources.push(src);
  }

  /** Removes `src`; true when no source is left. */
  detach(src: ExpositionSource): boolean {
    const i = this._sources.indexOf(src);
    if (i >= 0) this._sources.splice(i, 1);
    return this._sources.length === 0;
  }

  /** Renders every active source as one exposition. */
  async text(): Promise<{ body: string; contentType: string }> {
    const srcs = this.active();
    const texts = await Promise.all(srcs.map((s) => s.render()));
    const contentType = srcs[0]?.contentType ?? "text/plain; version=0.0.4; charset=utf-8";
    if (!contentType.startsWith("application/openmetrics-text")) return { body: texts.join(""), contentType };
    const body = texts.map((t) => (t.endsWith(OPENMETRICS_EOF) ? t.slice(0, -OPENMETRICS_EOF.length) : t)).join("") + OPENMETRICS_EOF;
    return { body, contentType };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this._server.close(() => resolve());
      this._server.closeAllConnections();
      for (const s of this._sockets) s.destroy();
    });
  }

  private async _serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found: the metrics are at /metrics\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("method not allowed\n");
      return;
    }
    try {
      const { body, contentType } = await this.text();
      res.writeHead(200, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (e) {
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end(`error gathering metrics: ${(e as Error).message}\n`);
    }
  }
}

const servers = new Map<string, ExpositionServer>();
const starting = new Map<string, Promise<ExpositionServer>>();

/**
 * Serves `src` on `address` (`host:port`), starting the server on first use. Rejects when the
 * address is malformed or cannot be bound (e.g. EADDRINUSE by another process).
 */
export async function attachExposition(address: string, src: ExpositionSource): Promise<ExpositionLease> {
  const a = parseAddress(address);
  if (a === undefined) throw new Error(`invalid exposition address ${JSON.stringify(address)}`);
  let srv = servers.get(address);
  if (srv === undefined) {
    let pending = starting.get(address);
    if (pending === undefined || a.port === 0) {
      const s = new ExpositionServer(address);
      pending = s.listen(a.host, a.port).then(() => s);
      if (a.port !== 0) starting.set(address, pending);
    }
    try {
      srv = await pending;
    } catch (e) {
      throw new Error(`could not start the prometheus exposition server on ${address}: ${(e as Error).message}`, { cause: e });
    } finally {
      starting.delete(address);
    }
    // Port 0 asks for a fresh port each time: never shared.
    if (a.port !== 0) servers.set(address, srv);
  }
  srv.attach(src);
  const server = srv;
  let released = false;
  return {
    address: server.address,
    release: async () => {
      if (released) return;
      released = true;
      if (!server.detach(src)) return;
      if (servers.get(server.key) === server) servers.delete(server.key);
      await server.close();
    },
  };
}
