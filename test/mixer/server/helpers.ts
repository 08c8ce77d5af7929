import { createServer } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { GLOBAL_DICTIONARY } from "../../../src/mixer/attribute/index";
import { PROTO_FILES, protoDir } from "../../../src/mixer/server/protos";

/** A free loopback port (closed again at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Global dictionary index of `word` (throws when it is not a global word). */
export function g(word: string): number {
  const i = GLOBAL_DICTIONARY.indexOf(word);
  if (i < 0) throw new Error(`${word} is not a global word`);
  return i;
}

/**
 * A config: prometheus `requests_total{path, code}` on `promAddress`, a denier for
 * request.path == "/admin", a whitelist over request.headers["x-user"] and a memquota
 * `requestcount` of 3 per path.
 */
export function writeConfig(promAddress: string): string {
  const dir = mkdtempSync(join(tmpdir(), "mixer-serve-"));
  writeFileSync(
    join(dir, "config.yaml"),
    `kind: handler
metadata: {name: prom}
spec:
  compiledAdapter: prometheus
  params:
    address: "${promAddress}"
    metrics:
      - instanceName: requests.instance.istio-system
        namespace: test
        name: requests_total
        kind: COUNTER
        labelNames: [path, code]
---
kind: instance
metadata: {name: requests}
spec:
  compiledTemplate: metric
  params:
    value: "1"
    dimensions:
      path: request.path | "none"
      code: response.code | 0
---
kind: rule
metadata: {name: requests}
spec:
  actions: [{handler: prom, instances: [requests]}]
---
kind: handler
metadata: {name: deny-admin}
spec:
  compiledAdapter: denier
  params: {status: {code: 7, message: admins only}}
---
kind: instance
metadata: {name: nothing}
spec: {compiledTemplate: checknothing}
---
kind: rule
metadata: {name: deny-admin}
spec:
  match: request.path == "/admin"
  actions: [{handler: deny-admin, instances: [nothing]}]
---
kind: handler
metadata: {name: users}
spec:
  compiledAdapter: listchecker
  params: {overrides: [alice, bob]}
---
kind: instance
metadata: {name: user}
spec:
  compiledTemplate: listentry
  params: {value: 'request.headers["x-user"] | "anonymous"'}
---
kind: rule
metadata: {name: users}
spec:
  match: request.path == "/users"
  actions: [{handler: users, instances: [user]}]
---
kind: handler
metadata: {name: quotas}
spec:
  compiledAdapter: memquota
  params:
    quotas:
      - {name: requestcount.instance.istio-system, maxAmount: 3}
---
kind: instance
metadata: {name: requestcount}
spec:
  compiledTemplate: quota
  params: {dimensions: {path: request.path | "none"}}
---
kind: rule
metadata: {name: quota}
spec:
  actions: [{handler: quotas, instances: [requestcount]}]
`,
  );
  return dir;
}

type Callback = (err: grpc.ServiceError | null, res: unknown) => void;
type Unary = (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: Callback) => void;

/** A client generated from the shipped .proto files, as a third party would (snake_case fields with keepCase). */
export interface TestClient {
  check(req: unknown, token?: string): Promise<Record<string, any>>;
  report(req: unknown, token?: string): Promise<Record<string, any>>;
  health(service?: string): Promise<Record<string, any>>;
  raw: grpc.Client & Record<string, Unary>;
  health_: grpc.Client & Record<string, Unary>;
  close(): void;
}

export function client(address: string, keepCase = true, creds = grpc.credentials.createInsecure()): TestClient {
  const def = loadSync([...PROTO_FILES], { includeDirs: [protoDir()], keepCase, longs: String, enums: String, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as any;
  const mixer = new pkg.istio.mixer.v1.Mixer(address, creds);
  const health = new pkg.grpc.health.v1.Health(address, creds);
  const call =
    (c: any, method: string) =>
    (req: unknown, token?: string): Promise<Record<string, any>> =>
      new Promise((resolve, reject) => {
        const md = new grpc.Metadata();
        if (token !== undefined) md.set("authorization", `Bearer ${token}`);
        c[method](req, md, { deadline: Date.now() + 10_000 }, (err: grpc.ServiceError | null, res: Record<string, any>) => (err ? reject(err) : resolve(res)));
      });
  return {
    check: call(mixer, "Check"),
    report: call(mixer, "Report"),
    health: (service = "") => call(health, "Check")({ service }),
    raw: mixer,
    health_: health,
    close: () => {
      mixer.close();
      health.close();
    },
  };
}

/** The gRPC error a promise rejects with. */
export async function grpcError(p: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as grpc.ServiceError;
    return { code: err.code, details: err.details };
  }
  throw new Error("expected a gRPC error");
}

/** GET a /metrics text. */
export async function scrape(address: string): Promise<string> {
  const res = await fetch(`http://${address}/metrics`);
  return res.text();
}

/** A metric line's value (undefined when absent). */
export function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line === undefined ? undefined : Number(line.slice(series.length + 1).split(" ")[0]);
}
