import { createRequire } from "node:module";

interface Builtins {
  "node:crypto": typeof import("node:crypto");
  "node:fs": typeof import("node:fs");
  "node:http": typeof import("node:http");
  "node:https": typeof import("node:https");
  "node:tty": typeof import("node:tty");
  "node:worker_threads": typeof import("node:worker_threads");
}

// Node < 20.16 has no process.getBuiltinModule: a require from anywhere loads built-ins too (the
// root, not the working directory: process.cwd() throws once that folder is deleted)
const load: (id: string) => unknown = process.getBuiltinModule ?? createRequire("/");

/**
 * A Node built-in, loaded without an ES module import and, for the ones most programs never
 * need, where it is first used rather than when functrace is. `node:https` alone is 5.9 MB of
 * RSS (TLS), `node:http` 2.8 MB, `node:worker_threads` 1.2 MB (Node 24); a program that only
 * loads functrace (nothing configured, or a printer) needs none of them. And an ESM import of
 * `node:fs` evaluates every lazy export of it (fs/promises, streams, readline: 4.3 MB), where
 * the module object itself is already loaded. Synchronous in both builds (`import()` is not).
 */
export function builtin<ID extends keyof Builtins>(id: ID): Builtins[ID] {
  return load(id) as Builtins[ID];
}
