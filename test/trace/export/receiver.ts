import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isIPv4, isIPv6 } from "node:net";
import Ajv from "ajv";
import { parse } from "yaml";

/** How the test receiver answers: accept (202), fail (500), or stall (never answer). */
export type ReceiverMode = "accept" | "fail" | "stall";

/** A local HTTP receiver of span batches; records every JSON body it gets. */
export interface Receiver {
  url: string;
  bodies: unknown[];
  requests: number;
  close(): Promise<void>;
}

export async function startReceiver(mode: ReceiverMode, path = "/api/v2/spans"): Promise<Receiver> {
  const box: Receiver = { url: "", bodies: [], requests: 0, close: async () => undefined };
  const stalled: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    box.requests++;
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      if (mode === "stall") return void stalled.push(res);
      if (mode === "fail") return void res.writeHead(500).end("nope");
      box.bodies.push(JSON.parse(body));
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  box.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  box.close = () =>
    new Promise<void>((resolve) => {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return box;
}

/** A validator for the Zipkin v2 `Span` definition of /work/shared/spec/zipkin2-api.yaml (Swagger 2.0). */
export function zipkinSpanValidator(): (span: unknown) => string[] {
  const specFile = process.env.ZIPKIN_API_SPEC ?? join(__dirname, "../../fixtures/spec/zipkin2-api.yaml");
  const doc = parse(readFileSync(specFile, "utf8")) as { definitions: Record<string, unknown> };
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat("ipv4", isIPv4);
  ajv.addFormat("ipv6", isIPv6);
  const validate = ajv.compile({ definitions: doc.definitions, $ref: "#/definitions/Span" });
  return (span) => (validate(span) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}
