import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { SpanKind } from "@opentelemetry/api";

/*
 * Function spans and the spans of @opentelemetry/instrumentation-http in one real program:
 * an http server whose traced handler makes an http client call. Incoming W3C and B3 traces
 * are continued; the client span hangs under the traced function that made the call.
 */
const run = promisify(execFile);
const root = join(__dirname, "../../..");

interface Span {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentId?: string;
  path?: string;
}

const W3C = { trace: "4bf92f3577b34da6a3ce929d0e0e4736", span: "00f067aa0ba902b7" };
const B3 = { trace: "80f198ee56343ba864fe8b2a57d3eff7", span: "e457b5a2e4d86bd1" };

describe("http interop with @opentelemetry/instrumentation-http", () => {
  let spans: Span[];
  beforeAll(async () => {
    if (!existsSync(join(root, "dist/cjs/index.js"))) throw new Error("dist/ is missing: run `npm run build` first");
    const env = { ...process.env, FUNCTRACE: "", FUNCTRACE_EXPORTER: "", W3C_TRACE: W3C.trace, W3C_SPAN: W3C.span, B3_TRACE: B3.trace, B3_SPAN: B3.span };
    const { stdout } = await run(process.execPath, [join(__dirname, "fixtures/http-interop.cjs")], { cwd: root, env, timeout: 20_000 });
    spans = JSON.parse(stdout) as Span[];
  });

  it.each([
    ["W3C traceparent", W3C],
    ["B3", B3],
  ])("should nest function spans under the server span of an incoming %s trace, and the client span under them", (_label, incoming) => {
    const inTrace = spans.filter((s) => s.traceId === incoming.trace);
    const one = (predicate: (s: Span) => boolean, what: string): Span => {
      const found = inTrace.filter(predicate);
      if (found.length !== 1) throw new Error(`expected one ${what}, got ${JSON.stringify(found)} in ${JSON.stringify(inTrace)}`);
      return found[0];
    };
    const server = one((s) => s.kind === SpanKind.SERVER && s.path === "/top", "server span /top");
    const handle = one((s) => s.name === "svc.handle", "svc.handle");
    const call = one((s) => s.name === "svc.callDownstream", "svc.callDownstream");
    const client = one((s) => s.kind === SpanKind.CLIENT, "client span");
    const downstream = one((s) => s.kind === SpanKind.SERVER && s.path === "/down", "server span /down");
    expect(server.parentId).toBe(incoming.span);
    expect(handle.parentId).toBe(server.spanId);
    expect(call.parentId).toBe(handle.spanId);
    expect(client.parentId).toBe(call.spanId);
    expect(downstream.parentId).toBe(client.spanId);
    expect(inTrace).toHaveLength(5);
  });
});
