import type * as http from "node:http";
import { builtin } from "../../builtin.js";

/**
 * POSTs bodies (JSON unless a content-type header says otherwise) to one URL over a keep-alive connection. Every request is time-limited
 * (destroyed at `timeoutMs`) and its socket unref'd, so a stalled or absent receiver never
 * keeps the program alive; a network error or a 4xx/5xx answer rejects (the export channel
 * counts the spans as dropped and reports once). Nothing is ever thrown at the program.
 */
export class HttpPoster {
  readonly url: URL;
  private readonly _headers: Record<string, string>;
  private readonly _timeoutMs: number;
  private readonly _agent: http.Agent;
  private readonly _request: typeof http.request;

  constructor(url: string, headers: Record<string, string> = {}, timeoutMs = 30_000) {
    this.url = new URL(url);
    const secure = this.url.protocol === "https:";
    if (!secure && this.url.protocol !== "http:") throw new Error(`exporter url: expected http: or https:, got ${this.url.protocol}`);
    this._headers = { "content-type": "application/json", ...headers };
    this._timeoutMs = timeoutMs;
    const client = secure ? builtin("node:https") : builtin("node:http");
    this._agent = new client.Agent({ keepAlive: true, maxSockets: 2 });
    this._request = client.request;
  }

  /**
   * Sends one body; resolves on a 2xx/3xx answer. `released` runs once the body was written out
   * and answered with success: from then on nothing reads it (its buffer may be reused).
   */
  post(body: Uint8Array, released?: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const headers = { ...this._headers, "content-length": String(body.byteLength) };
      let written = false;
      let answered = false;
      const release = (): void => {
        if (written && answered) released?.();
      };
      const request = this._request(this.url, { method: "POST", agent: this._agent, headers }, (response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        response.on("error", reject);
        response.on("end", () => {
          if (status >= 400) return reject(new Error(`${this.url.href} answered HTTP ${status}`));
          answered = true;
          release();
          resolve();
        });
      });
      request.on("finish", () => {
        written = true;
        release();
      });
      const timer = setTimeout(() => request.destroy(new Error(`request to ${this.url.href} timed out after ${this._timeoutMs} ms`)), this._timeoutMs);
      timer.unref();
      request.on("socket", (socket) => socket.unref());
      request.on("error", reject);
      request.on("close", () => clearTimeout(timer));
      request.end(body);
    });
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this._agent.destroy();
  }
}
