import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import * as protobuf from "protobufjs";

/*
 * The OTLP protobuf schema (test/fixtures/spec/otlp, opentelemetry-proto v1) loaded with
 * protobufjs: decodes what an exporter sends as an OpenTelemetry Collector's receiver would,
 * for protobuf and for OTLP/JSON, into one comparable shape (ids as lowercase hex, 64-bit
 * integers as decimal strings, enums as numbers, defaults left out).
 */
const SPEC = join(__dirname, "../../fixtures/spec/otlp");
let root: protobuf.Root | undefined;

function schema(): protobuf.Root {
  if (root !== undefined) return root;
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) => join(SPEC, target);
  r.loadSync("opentelemetry/proto/collector/trace/v1/trace_service.proto", { keepCase: false });
  r.resolveAll();
  root = r;
  return r;
}

export function requestType(): protobuf.Type {
  return schema().lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest");
}

const OBJECT = { longs: String, enums: Number, bytes: String, defaults: false } as const;
const ID_FIELDS = new Set(["traceId", "spanId", "parentSpanId"]);

/** Rewrites the id fields (trace_id, span_id, parent_span_id of spans and links) in place. */
function mapIds(value: unknown, f: (s: string) => string): void {
  if (Array.isArray(value)) {
    for (const v of value) mapIds(v, f);
  } else if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (ID_FIELDS.has(k) && typeof v === "string") o[k] = f(v);
      else mapIds(v, f);
    }
  }
}

export interface OtlpKeyValue {
  key: string;
  value: { stringValue?: string; intValue?: string; boolValue?: boolean; doubleValue?: number };
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  flags?: number;
  name: string;
  kind?: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: OtlpKeyValue[];
  events?: { timeUnixNano: string; name: string; attributes?: OtlpKeyValue[] }[];
  links?: { traceId: string; spanId: string; attributes?: OtlpKeyValue[]; flags?: number }[];
  status?: { code?: number; message?: string };
}
export interface OtlpRequest {
  resourceSpans: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans: { scope?: { name?: string; version?: string }; spans: OtlpSpan[] }[];
  }[];
}

/** A protobuf body, decoded by the schema (a malformed body throws). */
export function decodeProtobuf(body: Uint8Array): OtlpRequest {
  const type = requestType();
  const message = type.decode(body);
  const problem = type.verify(message);
  if (problem !== null) throw new Error(`invalid ExportTraceServiceRequest: ${problem}`);
  const object = type.toObject(message, OBJECT);
  mapIds(object, (b64) => Buffer.from(b64, "base64").toString("hex"));
  return object as OtlpRequest;
}

/**
 * An OTLP/JSON body: every key must be a field of the schema's message at that place (its
 * lowerCamelCase JSON name), ids hex of the right length, 64-bit integers decimal strings, enums
 * numbers; then it is read by the schema (ids converted to bytes) and returned in the same shape
 * as decodeProtobuf.
 */
export function decodeJson(body: Uint8Array | string): OtlpRequest {
  const json = JSON.parse(typeof body === "string" ? body : Buffer.from(body).toString("utf8")) as unknown;
  const problems: string[] = [];
  strict(requestType(), json, "", problems);
  if (problems.length > 0)
    throw new Error(`OTLP/JSON does not follow the schema:\n${problems.slice(0, 20).join("\n")}`);
  mapIds(json, (hex) => Buffer.from(hex, "hex").toString("base64"));
  const type = requestType();
  const message = type.fromObject(json as Record<string, unknown>);
  const problem = type.verify(message);
  if (problem !== null) throw new Error(`invalid ExportTraceServiceRequest: ${problem}`);
  const object = type.toObject(message, OBJECT);
  mapIds(object, (b64) => Buffer.from(b64, "base64").toString("hex"));
  return object as OtlpRequest;
}

function strict(type: protobuf.Type, value: unknown, path: string, problems: string[]): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push(`${path}: expected an object for ${type.name}`);
    return;
  }
  const byJsonName = new Map(type.fieldsArray.map((f) => [f.name, f]));
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const field = byJsonName.get(key);
    const where = `${path}.${key}`;
    if (field === undefined) {
      problems.push(`${where}: not a field of ${type.name}`);
      continue;
    }
    field.resolve();
    const values = field.repeated
      ? Array.isArray(v)
        ? v
        : (problems.push(`${where}: expected an array`), [])
      : [v];
    values.forEach((item: unknown, i: number) => {
      const at = field.repeated ? `${where}[${i}]` : where;
      if (field.resolvedType instanceof protobuf.Type) return strict(field.resolvedType, item, at, problems);
      if (field.resolvedType instanceof protobuf.Enum) {
        if (typeof item !== "number" || !Object.values(field.resolvedType.values).includes(item))
          problems.push(`${at}: expected an enum number of ${field.resolvedType.name}`);
        return;
      }
      switch (field.type) {
        case "bytes": {
          const size = key === "traceId" ? 32 : 16;
          if (typeof item !== "string" || !new RegExp(`^[0-9a-f]{${size}}$`).test(item))
            problems.push(`${at}: expected ${size} lowercase hex digits`);
          return;
        }
        case "int64":
        case "uint64":
        case "fixed64":
        case "sfixed64":
          if (typeof item !== "string" || !/^-?\d+$/.test(item))
            problems.push(`${at}: expected a decimal string (64-bit integer)`);
          return;
        case "string":
          if (typeof item !== "string") problems.push(`${at}: expected a string`);
          return;
        case "bool":
          if (typeof item !== "boolean") problems.push(`${at}: expected a boolean`);
          return;
        default:
          if (typeof item !== "number" || !Number.isInteger(item))
            problems.push(`${at}: expected an integer (${field.type})`);
      }
    });
  }
}

/** The spans of a decoded request (one resource, one scope expected). */
export function spansOf(request: OtlpRequest): OtlpSpan[] {
  return request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
}

/** Attributes as a plain record: string, number (int), boolean. */
export function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    if (key in out) throw new Error(`duplicate attribute ${key}`);
    out[key] =
      value.stringValue ??
      (value.intValue !== undefined ? Number(value.intValue) : (value.boolValue ?? value.doubleValue)!);
  }
  return out;
}

/** A local OTLP/HTTP receiver: keeps each body and its headers; answers 200, 500, or never. */
export async function startOtlpReceiver(
  mode: "accept" | "fail" | "stall",
): Promise<{
  url: string;
  bodies: Buffer[];
  headers: IncomingHttpHeaders[];
  connections: () => number;
  close: () => Promise<void>;
}> {
  const bodies: Buffer[] = [];
  const headers: IncomingHttpHeaders[] = [];
  let connections = 0;
  const server: Server = createServer((req, res) => {
    headers.push(req.headers);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (mode === "stall") return;
      if (mode === "fail") return void res.writeHead(500).end("nope");
      bodies.push(Buffer.concat(chunks));
      res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
    bodies,
    headers,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
