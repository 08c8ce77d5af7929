/**
 * `CompressedAttributes` ⇄ bag (§2.1–2.2). Decoding is eager and strict: any bad index,
 * wrong value kind or duplicate name rejects the whole message with a WireFormatError.
 */
import { MutableBag, type Bag } from "./bag.js";
import { Duration, IpAddress, StringMap, Timestamp, type Value } from "./values.js";
import {
  checkGlobalWordCount,
  lookupWord,
  WireFormatError,
  WordEncoder,
  type CompressedAttributes,
  type WireTime,
} from "./wire-types.js";

/** Options shared by the encoder and decoder. */
export interface WireOptions {
  /** Number of global words both sides agree on (default: all we know). */
  globalWordCount?: number;
}

/** Encodes the named attributes of `bag` into `out` using `enc` for words. */
export function encodeInto(bag: Bag, names: readonly string[], enc: WordEncoder, out: CompressedAttributes): void {
  for (const name of names) {
    const v = bag.get(name);
    if (v === undefined) continue;
    const k = enc.index(name);
    switch (typeof v) {
      case "string":
        (out.strings ??= {})[k] = enc.index(v);
        continue;
      case "bigint":
        (out.int64s ??= {})[k] = v;
        continue;
      case "number":
        (out.doubles ??= {})[k] = v;
        continue;
      case "boolean":
        (out.bools ??= {})[k] = v;
        continue;
    }
    if (v instanceof Timestamp) (out.timestamps ??= {})[k] = { seconds: v.seconds, nanos: v.nanos };
    else if (v instanceof Duration) (out.durations ??= {})[k] = splitDuration(v.nanos);
    else if (v instanceof IpAddress) (out.bytes ??= {})[k] = Uint8Array.from(v.bytes);
    else if (v instanceof StringMap) {
      const entries: Record<number, number> = {};
      for (const key of [...v.entries.keys()].sort()) entries[enc.index(key)] = enc.index(v.entries.get(key)!);
      (out.stringMaps ??= {})[k] = { entries };
    } else throw new WireFormatError(`attribute '${name}' has an unsupported value`);
  }
}

function splitDuration(ns: bigint): WireTime {
  // protobuf Duration: seconds and nanos carry the same sign.
  return { seconds: ns / 1_000_000_000n, nanos: Number(ns % 1_000_000_000n) };
}

/** Encodes every attribute of `bag` (names sorted, for deterministic output). */
export function encodeAttributes(bag: Bag, opts: WireOptions = {}): CompressedAttributes {
  const enc = new WordEncoder(checkGlobalWordCount(opts.globalWordCount));
  const out: CompressedAttributes = {};
  encodeInto(bag, [...bag.names()].sort(), enc, out);
  if (enc.words.length > 0) out.words = enc.words;
  return out;
}

type Entry = [number, unknown];

function entriesOf(msg: Record<string, unknown>, field: string): Entry[] {
  const m = msg[field];
  if (m === undefined || m === null) return [];
  if (typeof m !== "object" || Array.isArray(m) || m instanceof Uint8Array) {
    throw new WireFormatError(`field '${field}' must be a map`);
  }
  return Object.entries(m as Record<string, unknown>).map(([k, v]) => {
    const i = Number(k);
    if (!/^-?\d+$/.test(k) || i < -(2 ** 31) || i >= 2 ** 31) {
      throw new WireFormatError(`field '${field}': key '${k}' is not a sint32 index`);
    }
    return [i, v];
  });
}

function wrongType(field: string, name: string, v: unknown): WireFormatError {
  const got = v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
  return new WireFormatError(`field '${field}': attribute '${name}' has a value of the wrong type (${got})`);
}

function asIndex(v: unknown, field: string, name: string): number {
  if (typeof v !== "number" || !Number.isInteger(v)) throw wrongType(field, name, v);
  return v;
}

function asInt64(v: unknown, field: string, name: string): bigint {
  let b: bigint | undefined;
  if (typeof v === "bigint") b = v;
  else if (typeof v === "number" && Number.isSafeInteger(v)) b = BigInt(v);
  else if (typeof v === "string" && /^-?\d+$/.test(v)) b = BigInt(v);
  if (b === undefined || b !== BigInt.asIntN(64, b)) throw wrongType(field, name, v);
  return b;
}

function asTime(v: unknown, field: string, name: string): [bigint, number] {
  if (v === null || typeof v !== "object") throw wrongType(field, name, v);
  const t = v as Record<string, unknown>;
  const seconds = asInt64(t.seconds ?? 0, field, name);
  const nanos = t.nanos ?? 0;
  if (typeof nanos !== "number" || !Number.isInteger(nanos) || Math.abs(nanos) >= 1e9) throw wrongType(field, name, v);
  return [seconds, nanos];
}

const FIELDS = ["strings", "stringMaps", "int64s", "doubles", "bools", "timestamps", "durations", "bytes"] as const;

/** Decodes one value of `field` for attribute `name`. */
function decodeValue(field: (typeof FIELDS)[number], v: unknown, name: string, words: readonly string[]): Value {
  switch (field) {
    case "strings":
      return lookupWord(asIndex(v, field, name), words, "string");
    case "int64s":
      return asInt64(v, field, name);
    case "doubles":
      if (typeof v !== "number") throw wrongType(field, name, v);
      return v;
    case "bools":
      if (typeof v !== "boolean") throw wrongType(field, name, v);
      return v;
    case "timestamps": {
      const [s, n] = asTime(v, field, name);
      return new Timestamp(s, n);
    }
    case "durations": {
      const [s, n] = asTime(v, field, name);
      return new Duration(s * 1_000_000_000n + BigInt(n));
    }
    case "bytes":
      if (!(v instanceof Uint8Array)) throw wrongType(field, name, v);
      return new IpAddress(v);
    case "stringMaps":
      return decodeStringMap(v, name, words);
  }
}

function decodeStringMap(v: unknown, name: string, words: readonly string[]): StringMap {
  if (v === null || typeof v !== "object") throw wrongType("stringMaps", name, v);
  const entries = entriesOf(v as Record<string, unknown>, "entries");
  const m = new Map<string, string>();
  for (const [k, val] of entries) {
    m.set(lookupWord(k, words, "string"), lookupWord(asIndex(val, "stringMaps", name), words, "string"));
  }
  return new StringMap(m, name);
}

/**
 * Decodes a message into `target` (a fresh bag by default; Report delta decoding passes
 * a staging bag). `defaultWords` replaces an empty `words` list (Report `default_words`).
 */
export function decodeAttributes(
  msg: CompressedAttributes,
  opts: WireOptions & { defaultWords?: readonly string[] } = {},
): MutableBag {
  if (msg === null || typeof msg !== "object" || Array.isArray(msg)) {
    throw new WireFormatError("attributes message must be an object");
  }
  checkGlobalWordCount(opts.globalWordCount);
  const raw = msg as unknown as Record<string, unknown>;
  let words = raw.words ?? [];
  if (!Array.isArray(words) || !words.every((w) => typeof w === "string")) {
    throw new WireFormatError("field 'words' must be a list of strings");
  }
  if (words.length === 0 && opts.defaultWords) words = opts.defaultWords;
  const bag = new MutableBag();
  const seen = new Map<string, string>();
  for (const field of FIELDS) {
    for (const [k, v] of entriesOf(raw, field)) {
      const name = lookupWord(k, words as string[], "attribute");
      const prev = seen.get(name);
      if (prev) throw new WireFormatError(`duplicate attribute ${name} (type ${prev} and ${field})`);
      seen.set(name, field);
      bag.set(name, decodeValue(field, v, name, words as string[]));
    }
  }
  return bag;
}
