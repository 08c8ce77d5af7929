import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One request the receiver got. */
export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  readonly json: Record<string, { _type: string; _value: unknown }>;
}

/** How the receiver answers: like a broker (200 + stats), like circonus-agent (204), 500, or never. */
export type Mode = "ok" | "204" | "500" | "hang";

/** A loopback HTTPTrap receiver (a real node:http server) implementing the spec §10.1 answers. */
export class TrapReceiver {
  readonly requests: Received[] = [];
  mode: Mode = "ok";
  private readonly _server: Server;
  private readonly _sockets = new Set<Socket>();

  private constructor(server: Server) {
    this._server = server;
    server.on("connection", (s) => {
      this._sockets.add(s);
      s.on("close", () => this._sockets.delete(s));
    });
  }

  static async start(): Promise<TrapReceiver> {
    const server = createServer();
    const self = new TrapReceiver(server);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => self._handle(req, res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return self;
  }

  get port(): number {
    return (this._server.address() as AddressInfo).port;
  }

  /** A submission URL of the broker's shape. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/module/httptrap/0b8b7b52-1bd6-4e3e-8a7b-3a1f3b2c9d10/s3cret`;
  }

  /** Waits until `n` requests arrived (or the timeout passed). */
  async waitFor(n: number, timeoutMs = 5000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.requests;
  }

  async stop(): Promise<void> {
    for (const s of this._sockets) s.destroy();
    await new Promise<void>((r) => this._server.close(() => r()));
  }

  private _handle(req: IncomingMessage, res: ServerResponse): void {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      let json: Received["json"] = {};
      try {
        json = JSON.parse(body);
      } catch {
        // recorded as {}; the test sees the body
      }
      this.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, json });
      if (this.mode === "hang") return; // never answer
      if (req.method !== "PUT" && req.method !== "POST") return void res.writeHead(404).end();
      if (!req.url?.startsWith("/module/httptrap/")) return void res.writeHead(404, { "Content-Type": "application/json" }).end('{"error":"bad uri"}');
      if (this.mode === "500") return void res.writeHead(500, { "Content-Type": "application/json" }).end('{"error":"internal"}');
      if (this.mode === "204") return void res.writeHead(204).end();
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ stats: Object.keys(json).length, filtered: 0 }));
    });
  }
}
