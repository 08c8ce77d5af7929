/**
 * The shipped `.proto` files (next to this module, in `proto/`): Istio's `istio.mixer.v1`
 * Mixer service and `grpc.health.v1`, loaded with @grpc/proto-loader in the object form the
 * wire codec reads (camelCase fields, int64 as decimal strings, enums as numbers, bytes as
 * Buffers, absent fields absent).
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSync, type Options, type PackageDefinition } from "@grpc/proto-loader";
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";

declare const __dirname: string | undefined;

/** proto-loader options of the server and the bridge's remote client. */
export const LOADER_OPTIONS: Options = Object.freeze({ keepCase: false, longs: String, enums: Number, bytes: Buffer, defaults: false, arrays: false, objects: false, oneofs: true });

/** Files under {@link protoDir} (give that folder as include path to generate a client). */
export const PROTO_FILES = Object.freeze(["istio/mixer/v1/mixer.proto", "istio/mixer/v1/attributes.proto", "google/rpc/status.proto", "grpc/health/v1/health.proto"]);

/**
 * This module's folder, from the call site (works under CommonJS, ESM and bundles alike);
 * `__dirname` when stack traces are turned off.
 */
function moduleDir(): string {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  let file: string | null | undefined;
  try {
    Error.prepareStackTrace = (_e, sites) => sites;
    Error.stackTraceLimit = 1;
    file = (new Error().stack as unknown as NodeJS.CallSite[] | undefined)?.[0]?.getFileName();
  } catch {
    file = undefined;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
  if (file) return dirname(file.startsWith("file:") ? fileURLToPath(file) : file);
  return typeof __dirname === "string" ? __dirname : ".";
}

let dir: string | undefined;

/** The folder holding the shipped `.proto` files (`istio/mixer/v1/mixer.proto`, ...). */
export function protoDir(): string {
  if (dir !== undefined) return dir;
  const here = join(moduleDir(), "proto");
  const candidates = [here, join(moduleDir(), "mixer", "server", "proto")];
  dir = candidates.find((d) => existsSync(join(d, PROTO_FILES[0]!))) ?? here;
  return dir;
}

let loaded: PackageDefinition | undefined;

/** The package definition of every shipped file (loaded once). */
export function mixerPackage(): PackageDefinition {
  return (loaded ??= loadSync([...PROTO_FILES], { ...LOADER_OPTIONS, includeDirs: [protoDir()] }));
}

/** `istio.mixer.v1.Mixer`. */
export function mixerService(): ServiceDefinition {
  return mixerPackage()["istio.mixer.v1.Mixer"] as ServiceDefinition;
}

/** `grpc.health.v1.Health`. */
export function healthService(): ServiceDefinition {
  return mixerPackage()["grpc.health.v1.Health"] as ServiceDefinition;
}

/** The Report method (the bridge serializes requests itself, ahead of the call). */
export function reportMethod(): MethodDefinition<unknown, unknown> {
  return mixerService().Report as MethodDefinition<unknown, unknown>;
}
