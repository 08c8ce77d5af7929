/**
 * Runtime value representations. Each Mixer value type has a distinct JS shape so a
 * value keeps its type through the pipeline and Go formatting can be reproduced:
 * STRING (and EMAIL/URI/DNS_NAME) `string`, INT64 `bigint`, DOUBLE `number`,
 * BOOL `boolean`, TIMESTAMP {@link Timestamp}, DURATION {@link Duration},
 * IP_ADDRESS {@link IpAddress}, STRING_MAP {@link StringMap}.
 */
import { ValueType } from "./value-type.js";

const NS_PER_SECOND = 1_000_000_000n;

/** A time span in nanoseconds (Go `time.Duration`, int64 ns). */
export class Duration {
  /** The nanoseconds as a number (exact: see {@link fromNanos}); what the float conversions read. */
  private readonly _ns: number;
  /** The bigint, made on first read of {@link nanos} when built from a number. */
  private _nanos: bigint | undefined;
  constructor(nanos: bigint) {
    // A safe-integer number: from fromNanos (no bigint until `nanos` is read). Any other
    // number is refused by BigInt.asIntN, as it always was.
    if (typeof nanos === "number" && Number.isSafeInteger(nanos)) {
      this._ns = nanos || 0; // no -0
      this._nanos = undefined;
      return;
    }
    const n = BigInt.asIntN(64, nanos);
    this._ns = Number(n);
    this._nanos = n;
  }
  /** The int64 nanoseconds. */
  get nanos(): bigint {
    return (this._nanos ??= BigInt(this._ns));
  }
  /**
   * From an integer number of nanoseconds without making a bigint (made when `nanos` is
   * read): the per-call path of the span bridge. Same value as `new Duration(BigInt(ns))`.
   */
  static fromNanos(ns: number): Duration {
    return new Duration((Number.isSafeInteger(ns) ? ns : BigInt(Math.trunc(ns))) as bigint);
  }
  static fromMillis(ms: number): Duration {
    return Duration.fromNanos(Math.round(ms * 1e6));
  }
  /** Milliseconds as a float (for metrics and histograms). */
  toMillis(): number {
    return this._ns / 1e6;
  }
  /** Seconds as a float. */
  toSeconds(): number {
    return this._ns / 1e9;
  }
  equals(o: Duration): boolean {
    return this._ns === o._ns && (Number.isSafeInteger(this._ns) || this.nanos === o.nanos);
  }
}

/** A point in time with nanosecond precision (protobuf Timestamp shape). */
export class Timestamp {
  readonly seconds: bigint;
  readonly nanos: number;
  constructor(seconds: bigint, nanos = 0) {
    // Normalise so that 0 <= nanos < 1e9.
    const total = seconds * NS_PER_SECOND + BigInt(Math.trunc(nanos));
    let s = total / NS_PER_SECOND;
    let n = total % NS_PER_SECOND;
    if (n < 0n) {
      n += NS_PER_SECOND;
      s -= 1n;
    }
    this.seconds = s;
    this.nanos = Number(n);
  }
  static fromDate(d: Date): Timestamp {
    const ms = d.getTime();
    return Timestamp.fromEpochNanos(BigInt(ms) * 1_000_000n);
  }
  static fromEpochNanos(ns: bigint): Timestamp {
    return new Timestamp(0n, 0).plusNanos(ns);
  }
  /** Nanoseconds since the Unix epoch. */
  toEpochNanos(): bigint {
    return this.seconds * NS_PER_SECOND + BigInt(this.nanos);
  }
  plusNanos(ns: bigint): Timestamp {
    const total = this.toEpochNanos() + ns;
    return new Timestamp(total / NS_PER_SECOND, Number(total % NS_PER_SECOND));
  }
  toDate(): Date {
    return new Date(Number(this.seconds) * 1000 + Math.floor(this.nanos / 1e6));
  }
  compare(o: Timestamp): number {
    if (this.seconds !== o.seconds) return this.seconds < o.seconds ? -1 : 1;
    return this.nanos - o.nanos;
  }
  equals(o: Timestamp): boolean {
    return this.seconds === o.seconds && this.nanos === o.nanos;
  }
}

/** An IP address as raw bytes (4 or 16; other lengths are carried but never equal an IP). */
export class IpAddress {
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = Uint8Array.from(bytes);
  }
  /** The 16-byte form (IPv4 mapped into IPv6 as ::ffff:a.b.c.d), or undefined. */
  to16(): Uint8Array | undefined {
    if (this.bytes.length === 16) return this.bytes;
    if (this.bytes.length !== 4) return undefined;
    const out = new Uint8Array(16);
    out[10] = 0xff;
    out[11] = 0xff;
    out.set(this.bytes, 12);
    return out;
  }
  /** Go `net.IP.Equal`: IPv4 equals its IPv4-in-IPv6 form; otherwise bytes equal. */
  equals(o: IpAddress): boolean {
    const a = this.to16();
    const b = o.to16();
    if (a && b) return bytesEqual(a, b);
    return bytesEqual(this.bytes, o.bytes);
  }
}

/** A string→string map (headers, labels). `name` is the owning attribute when known. */
export class StringMap {
  readonly entries: ReadonlyMap<string, string>;
  readonly name: string | undefined;
  constructor(entries: ReadonlyMap<string, string> | Record<string, string>, name?: string) {
    this.entries = entries instanceof Map ? new Map(entries) : new Map(Object.entries(entries));
    this.name = name;
  }
  /** Same entries (shared, not copied) owned by attribute `name`. */
  withName(name: string): StringMap {
    const m = Object.create(StringMap.prototype) as { entries: ReadonlyMap<string, string>; name: string };
    m.entries = this.entries;
    m.name = name;
    return m as unknown as StringMap;
  }
  get(key: string): string | undefined {
    return this.entries.get(key);
  }
  has(key: string): boolean {
    return this.entries.has(key);
  }
  get size(): number {
    return this.entries.size;
  }
  equals(o: StringMap): boolean {
    if (this.entries.size !== o.entries.size) return false;
    for (const [k, v] of this.entries) if (o.entries.get(k) !== v) return false;
    return true;
  }
}

/** Any runtime attribute value. */
export type Value = string | bigint | number | boolean | Timestamp | Duration | IpAddress | StringMap;

/**
 * The runtime type of a value. Strings always report STRING: EMAIL/URI/DNS_NAME exist
 * only at type-check time (manifest or conversion functions).
 * Returns VALUE_TYPE_UNSPECIFIED for anything that is not a supported value.
 */
export function typeOfValue(v: unknown): ValueType {
  switch (typeof v) {
    case "string":
      return ValueType.STRING;
    case "bigint":
      return ValueType.INT64;
    case "number":
      return ValueType.DOUBLE;
    case "boolean":
      return ValueType.BOOL;
    default:
      if (v instanceof Timestamp) return ValueType.TIMESTAMP;
      if (v instanceof Duration) return ValueType.DURATION;
      if (v instanceof IpAddress) return ValueType.IP_ADDRESS;
      if (v instanceof StringMap) return ValueType.STRING_MAP;
      return ValueType.VALUE_TYPE_UNSPECIFIED;
  }
}

/** True when `v` is a supported attribute value. */
export function isValue(v: unknown): v is Value {
  return typeOfValue(v) !== ValueType.VALUE_TYPE_UNSPECIFIED;
}

/** Bag-level equality (istio/pkg attribute.Equal): same kind and same content. */
export function valuesEqual(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (typeof a !== "object" || typeof b !== "object") {
    return typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b) ? false : a === b;
  }
  if (a instanceof Timestamp && b instanceof Timestamp) return a.equals(b);
  if (a instanceof Duration && b instanceof Duration) return a.equals(b);
  if (a instanceof IpAddress && b instanceof IpAddress) return bytesEqual(a.bytes, b.bytes);
  if (a instanceof StringMap && b instanceof StringMap) return a.equals(b);
  return false;
}

/** Byte-wise equality of two arrays. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
