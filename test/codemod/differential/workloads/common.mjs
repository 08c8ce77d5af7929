// Shared by the differential workloads (run in child processes, original copy vs instrumented
// copy). Usage of every workload: `node <workload>.mjs <packageDir> [--out file] [--slice n] [--repeat n]`.
// With --out, one line per case (label, then the serialized result or thrown error) goes to the
// file; without it the cases run without recording and the workload prints `{"ms": ...}` (bench).
// --awaited-only leaves out the cases where an async function outlives the traced call that
// started it (its promise handed back un-awaited): the runtime's printer cannot nest those yet
// (see nesting.test.ts), so the FUNCTRACE=on runs that check nesting leave them out.
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

/** Command-line options of a workload. */
export function parseArgs(argv = process.argv.slice(2)) {
  const opts = { pkg: argv[0], out: undefined, slice: 1, repeat: 1, awaitedOnly: false };
  for (let i = 1; i < argv.length; i += 2) {
    if (argv[i] === "--awaited-only") {
      opts.awaitedOnly = true;
      i--;
    } else if (argv[i] === "--out") opts.out = argv[i + 1];
    else if (argv[i] === "--slice") opts.slice = Number(argv[i + 1]);
    else if (argv[i] === "--repeat") opts.repeat = Number(argv[i + 1]);
    else throw new Error(`unknown workload option ${argv[i]}`);
  }
  if (!opts.pkg)
    throw new Error(
      "usage: <workload>.mjs <packageDir> [--out file] [--slice n] [--repeat n] [--awaited-only]",
    );
  return opts;
}

/** Seeded PRNG (mulberry32): the same sequence in both copies. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (list) => list[Math.floor(next() * list.length)];
  return next;
}

/** A thrown value as it is compared: constructor name and message (never the stack). */
export function serError(e) {
  if (e instanceof Error || (e && typeof e === "object" && "message" in e)) {
    return `!${Object.getPrototypeOf(e)?.constructor?.name ?? "null"}: ${e.message}${e.code ? ` [${e.code}]` : ""}`;
  }
  return `!value ${ser(e)}`;
}

/** Deterministic, exact text for any value (distinguishes -0, NaN, undefined, classes). */
export function ser(v, depth = 0, seen = new Set()) {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  switch (typeof v) {
    case "number":
      return Object.is(v, -0) ? "-0" : String(v);
    case "bigint":
      return `${v}n`;
    case "string":
      return JSON.stringify(v);
    case "boolean":
      return String(v);
    case "symbol":
      return v.toString();
    case "function":
      return `[Function ${v.name}/${v.length}]`;
  }
  if (seen.has(v)) return "[Circular]";
  if (depth > 10) return "[Deep]";
  seen.add(v);
  try {
    return serObject(v, depth, seen);
  } finally {
    seen.delete(v);
  }
}

function serObject(v, depth, seen) {
  const s = (x) => ser(x, depth + 1, seen);
  const proto = Object.getPrototypeOf(v);
  const ctor = proto === null ? "null" : (proto.constructor?.name ?? "?");
  if (Array.isArray(v)) return `[${Array.from(v, s).join(",")}]`;
  if (ArrayBuffer.isView(v)) return `${ctor}[${Array.from(v, String).join(",")}]`;
  if (v instanceof Error) return serError(v);
  if (v instanceof RegExp) return String(v);
  if (v instanceof Map) return `Map{${Array.from(v, ([k, x]) => `${s(k)}=>${s(x)}`).join(",")}}`;
  if (v instanceof Set) return `Set{${Array.from(v, s).join(",")}}`;
  if (typeof v.then === "function") return `${ctor}<thenable>`;
  const keys = Object.keys(v);
  return `${ctor === "Object" ? "" : ctor}{${keys.map((k) => `${JSON.stringify(k)}:${s(v[k])}`).join(",")}}`;
}

/**
 * Records cases. `sync(label, fn)` runs fn and records its result or thrown error; `async`
 * awaits it. `slice` keeps every n-th case (the tracing-on runs use a smaller slice).
 */
export class Recorder {
  constructor(opts) {
    this.opts = opts;
    this.lines = [];
    this.n = 0;
    this.record = opts.out !== undefined;
  }

  /** Should the next case run (every `slice`-th)? */
  take() {
    return this.n++ % this.opts.slice === 0;
  }

  sync(label, fn) {
    if (!this.take()) return;
    let text;
    try {
      text = ser(fn());
    } catch (e) {
      text = serError(e);
    }
    if (this.record) this.lines.push(`${label} => ${text}`);
  }

  async async(label, fn) {
    if (!this.take()) return;
    let text;
    try {
      text = ser(await fn());
    } catch (e) {
      text = serError(e);
    }
    if (this.record) this.lines.push(`${label} => ${text}`);
  }

  /** A line that is not a case (a log of callback order, a digest). */
  note(text) {
    if (this.record) this.lines.push(text);
  }
}

/**
 * Run `body(recorder)` `repeat` times; write the recorded lines (first round) to --out, or
 * print the time of the rounds after the first (the warm-up) as `{"ms": [...]}`.
 */
export async function main(body) {
  const opts = parseArgs();
  const times = [];
  for (let round = 0; round < Math.max(1, opts.repeat); round++) {
    const rec = new Recorder(round === 0 ? opts : { ...opts, out: undefined });
    const t0 = performance.now();
    await body(rec, opts);
    times.push(performance.now() - t0);
    if (round === 0 && opts.out !== undefined) writeFileSync(opts.out, rec.lines.join("\n") + "\n");
  }
  if (opts.out === undefined)
    process.stdout.write(JSON.stringify({ ms: times.slice(times.length > 1 ? 1 : 0) }) + "\n");
}
