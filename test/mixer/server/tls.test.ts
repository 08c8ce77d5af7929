import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { startMixerServer } from "../../../src/mixer/server/server";
import { client, freePort, g, grpcError, writeConfig } from "./helpers";

/** A CA, a server certificate for 127.0.0.1 and a client certificate (openssl). */
function pki(dir: string): Record<string, Buffer> {
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=test-ca");
  writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
  for (const who of ["server", "client"]) {
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${who}.key`, "-out", `${who}.csr`, "-subj", `/CN=${who}`);
    ssl("x509", "-req", "-in", `${who}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${who}.pem`, "-days", "1", "-extfile", "san.ext");
  }
  return Object.fromEntries(["ca.pem", "server.key", "server.pem", "client.key", "client.pem"].map((f) => [f, readFileSync(join(dir, f))]));
}

describe("functrace-mixer serve: TLS with client certificates", () => {
  it("may listen beyond loopback with client certificates and no token; a client without a certificate is refused", async () => {
    const f = pki(mkdtempSync(join(tmpdir(), "mixer-tls-")));
    const config = writeConfig(`127.0.0.1:${await freePort()}`);
    const server = await startMixerServer({ config, address: "0.0.0.0:0", tls: { cert: f["server.pem"], key: f["server.key"], clientCa: f["ca.pem"] }, metricsAddress: "", watch: false });
    const withCert = client(`127.0.0.1:${server.port}`, true, grpc.credentials.createSsl(f["ca.pem"], f["client.key"], f["client.pem"]));
    const without = client(`127.0.0.1:${server.port}`, true, grpc.credentials.createSsl(f["ca.pem"]));
    try {
      const req = { attributes: { words: ["/x"], strings: { [g("request.path")]: -1 } } };
      expect((await withCert.check(req)).precondition.status.code).toBe(0);
      expect((await grpcError(without.check(req))).code).toBe(grpc.status.UNAVAILABLE);
    } finally {
      withCert.close();
      without.close();
      await server.close();
    }
  });
});
