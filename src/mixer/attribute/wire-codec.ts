/**
 * `CompressedAttributes` ⇄ bag (§2.1–2.2). Decoding is eager and strict: any bad index,
 * wrong value kind or duplicate name rejects the whole message with a WireFormatError.
 */
import { MutableBag, type Bag } from "./bag.js";
import { Duration, IpAddress, StringMap, Timestamp, type Value } from "./values.js";
import { describeInput, echo } from "./echo.js";
import {
  checkGlobalWordCount,
  lookupWord,
  MAX_WIRE_ELEMENTS,
  WireFormatError,
  WireLimitError,
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

/** Remaining words/entries a decode may still read (shared by the sets of one Report). */
export interface DecodeBudget {
  remaining: number;
  readonly limit: number;
  readonly what: string;
}

/** A budget of `limit` elements (default {@link MAX_WIRE_ELEMENTS}). */
export function decodeBudget(what: string, limit = MAX_WIRE_ELEMENTS): DecodeBudget {
  if (!(typeof limit === "number" && limit >= 0)) throw new WireFormatError(`invalid maxElements ${describeInput(limit)}`);
  return { remaining: limit, limit, what };
}

/** Takes `n` elements from `budget`; WireLimitError when it runs out. */
export function spend(budget: DecodeBudget, n: number): void {
  budget.remaining -= n;
  if (budget.remaining < 0) throw new WireLimitError(budget.what, budget.limit);
}

/**
 * Why `v` cannot be a message or a map of one (plain objects only: objects with or
 * without a prototype), or undefined when it can. Binary (`Uint8Array`) messages are not
 * decoded: this API takes the proto3 JSON/object form.
 */
function notAnObject(v: unknown): string | undefined {
  if (v === null || typeof v !== "object") return describeInput(v);
  if (Array.isArray(v)) return "array";
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return `${describeInput(v)} (binary protobuf is not decoded; pass the object form)`;
  if (v instanceof Map || v instanceof Set || v instanceof Date || v instanceof RegExp || v instanceof Promise) return describeInput(v);
  return undefined;
}

function ownField(obj: object, field: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, field) ? (obj as Record<string, unknown>)[field] : undefined;
}

function entriesOf(msg: object, field: string, budget: DecodeBudget): Entry[] {
  const m = ownField(msg, field);
  if (m === undefined || m === null) return [];
  const bad = notAnObject(m);
  if (bad !== undefined) throw new WireFormatError(`field '${field}' must be a map (got ${bad})`);
  const keys = Object.keys(m);
  spend(budget, keys.length);
  return keys.map((k) => {
    const i = Number(k);
    if (!/^-?\d+$/.test(k) || i < -(2 ** 31) || i >= 2 ** 31) {
      throw new WireFormatError(`field '${field}': key '${echo(k)}' is not a sint32 index`);
    }
    return [i, (m as Record<string, unknown>)[k]];
  });
}

function wrongType(field: string, name: string, v: unknown): WireFormatError {
  return new WireFormatError(`field '${field}': attribute '${echo(name)}' has a value of the wrong type (${typeName(v)})`);
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function asIndex(v: unknown, field: string, name: string): number {
  if (typeof v !== "number" || !Number.isInteger(v)) throw wrongType(field, name, v);
  return v;
}

function asInt64(v: unknown, field: string, name: string): bigint {
  let b: bigint | undefined;
  if (typeof v === "bigint") b = v;
  else if (typeof v === "number" && Number.isSafeInteger(v)) b = BigInt(v);
  else if (typeof v === "string" && v.length <= 21 && /^-?\d+$/.test(v)) b = BigInt(v);
  if (b === undefined || b !== BigInt.asIntN(64, b)) throw wrongType(field, name, v);
  return b;
}

function asTime(v: unknown, field: string, name: string): [bigint, number] {
  if (notAnObject(v) !== undefined) throw wrongType(field, name, v);
  const seconds = asInt64(ownField(v as object, "seconds") ?? 0, field, name);
  const nanos = ownField(v as object, "nanos") ?? 0;
  if (typeof nanos !== "number" || !Number.isInteger(nanos) || Math.abs(nanos) >= 1e9) throw wrongType(field, name, v);
  return [seconds, nanos];
}

/** A real `Uint8Array` (or Buffer): not an object that merely inherits from its prototype. */
function isBytes(v: unknown): v is Uint8Array {
  return ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === "[object Uint8Array]";
}

const FIELDS = ["strings", "stringMaps", "int64s", "doubles", "bools", "timestamps", "durations", "bytes"] as const;

/** Decodes one value of `field` for attribute `name`. */
function decodeValue(field: (typeof FIELDS)[number], v: unknown, name: string, words: readonly string[], budget: DecodeBudget): Value {
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
      if (!isBytes(v)) throw wrongType(field, name, v);
      return new IpAddress(v);
    case "stringMaps":
      return decodeStringMap(v, name, words, budget);
  }
}

function decodeStringMap(v: unknown, name: string, words: readonly string[], budget: DecodeBudget): StringMap {
  if (notAnObject(v) !== undefined) throw wrongType("stringMaps", name, v);
  const entries = entriesOf(v as object, "entries", budget);
  const m = new Map<string, string>();
  for (const [k, val] of entries) {
    m.set(lookupWord(k, words, "string"), lookupWord(asIndex(val, "stringMaps", name), words, "string"));
  }
  return new StringMap(m, name);
}

/** Decode options: the agreed global word count, Report `default_words`, the size limit. */
export interface DecodeOptions extends WireOptions {
  /** Replaces an empty `words` list (Report `default_words`). */
  defaultWords?: readonly string[];
  /** Most words plus map entries accepted (default {@link MAX_WIRE_ELEMENTS}). */
  maxElements?: number;
}

/**
 * Decodes a `CompressedAttributes` message (its proto3 JSON/object form) into a fresh bag.
 * Eager and strict: a bad index, a wrong value kind, a duplicate name, a non-object (a
 * `Uint8Array` included) or a message over `maxElements` throws WireFormatError
 * (WireLimitError for the size); nothing else is ever thrown.
 */
export function decodeAttributes(msg: CompressedAttributes, opts: DecodeOptions = {}): MutableBag {
  return asWireError(() => decodeWith(msg, opts, decodeBudget("attributes message", opts.maxElements ?? MAX_WIRE_ELEMENTS)));
}

/** {@link decodeAttributes} drawing on a shared budget (the sets of one Report). */
export function decodeWith(msg: CompressedAttributes, opts: DecodeOptions, budget: DecodeBudget): MutableBag {
  const bad = notAnObject(msg);
  if (bad !== undefined) throw new WireFormatError(`attributes message must be an object (got ${bad})`);
  checkGlobalWordCount(opts.globalWordCount);
  let words: unknown = ownField(msg, "words") ?? [];
  if (!Array.isArray(words)) throw new WireFormatError("field 'words' must be a list of strings");
  spend(budget, words.length);
  if (!words.every((w) => typeof w === "string")) throw new WireFormatError("field 'words' must be a list of strings");
  if (words.length === 0 && opts.defaultWords) words = opts.defaultWords;
  const dict = words as readonly string[];
  const bag = new MutableBag();
  const seen = new Map<string, string>();
  for (const field of FIELDS) {
    for (const [k, v] of entriesOf(msg, field, budget)) {
      const name = lookupWord(k, dict, "attribute");
      const prev = seen.get(name);
      if (prev) throw new WireFormatError(`duplicate attribute ${echo(name)} (type ${prev} and ${field})`);
      seen.set(name, field);
      bag.set(name, decodeValue(field, v, name, dict, budget));
    }
  }
  return bag;
}

/**
 * Runs `fn`, turning anything but a WireFormatError (a throwing getter, a revoked proxy,
 * a value JavaScript cannot convert) into one: decoding hostile input never throws
 * TypeError.
 */
export function asWireError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WireFormatError) throw e;
    let m: string;
    try {
      m = e instanceof Error ? e.message : describeInput(e);
    } catch {
      m = "unreadable error";
    }
    throw new WireFormatError(`malformed message: ${echo(m)}`);
  }
}
