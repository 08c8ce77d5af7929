import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

/** Outcome of one HTTPTrap submission attempt. */
export interface SubmitResult {
  /** HTTP status, 0 for a transport error or a timeout. */
  readonly status: number;
  readonly body: string;
  readonly error?: string;
}

const MAX_RESPONSE = 64 * 1024;

/**
 * PUTs one JSON body to an HTTPTrap URL (circonus-gometrics headers, `Connection: close`, no
 * keep-alive agent). Never rejects: a transport error or the `timeoutMs` deadline gives
 * status 0. The deadline covers connect, upload and response.
 */
export function putJson(url: string, body: string, timeoutMs: number): Promise<SubmitResult> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: SubmitResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const u = new URL(url);
    const send = u.protocol === "https:" ? httpsRequest : httpRequest;
    const headers = { "Content-Type": "application/json", Accept: "application/json", Connection: "close", "User-Agent": "functrace-mixer-circonus", "Content-Length": Buffer.byteLength(body) };
    const req = send(u, { method: "PUT", headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        if (text.length < MAX_RESPONSE) text += c;
      });
      res.on("end", () => finish({ status: res.statusCode ?? 0, body: text }));
      res.on("error", (e) => finish({ status: 0, body: "", error: e.message }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: 0, body: "", error: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    timer.unref();
    req.on("error", (e) => finish({ status: 0, body: "", error: e.message }));
    req.end(body);
  });
}

/** 200 and 204 are success (the broker answers 200 with `{stats}`, circonus-agent 204). */
export function isSuccess(status: number): boolean {
  return status === 200 || status === 204;
}

/** Transport errors, timeouts and 5xx are retried; other statuses are final. */
export function isRetryable(status: number): boolean {
  return status === 0 || status >= 500;
}
