/**
 * Circonus / OpenHistogram log-linear histogram ("circllhist"), as specified in
 * `spec/circonus-histograms.md`: buckets of two significant decimal digits `(val, exp)`,
 * bucket mapping bit-compatible with libcircllhist, type-1 quantiles on the fair resampling
 * (libcircllhist `hist_approx_quantile`) and linear ones (Go `ApproxQuantile`), Pareto-midpoint
 * mean, `H[1.2e+01]=3` strings and the binary/base64 serialisation.
 */

/** A bucket: `val` in 10..99 or −99..−10 (0 = the zero bucket), `exp` in −128..127. */
export interface Bucket {
  readonly val: number;
  readonly exp: number;
}

/** A bucket with its sample count. */
export interface BucketCount extends Bucket {
  readonly count: number;
}

/** Thrown for malformed bucket strings, binary data or quantile arguments. */
export class HistogramError extends Error {
  override readonly name = "HistogramError";
}

/** 10^e for e = −129..127 as parsed double literals (the libraries' `power_of_ten` table, not `Math.pow`). */
const POW10: readonly number[] = Array.from({ length: 257 }, (_, i) => Number(`1e${i - 129}`));
const pow10 = (e: number): number => POW10[e + 129];

/** The zero bucket. */
export const ZERO_BUCKET: Bucket = Object.freeze({ val: 0, exp: 0 });

/**
 * Maps a double to its bucket (libcircllhist `double_to_hist_bucket`); `undefined` is the NaN
 * bucket (NaN, ±Infinity, |v| ≥ 1e128). |v| < 1e−128 falls into the zero bucket.
 */
export function bucketOf(v: number): Bucket | undefined {
  if (!Number.isFinite(v)) return undefined;
  if (v === 0) return ZERO_BUCKET;
  const sign = v < 0 ? -1 : 1;
  const a = Math.abs(v);
  let e = Math.floor(Math.log10(a));
  if (e < -128) return ZERO_BUCKET;
  if (e > 127) return undefined;
  let m = Math.floor((a / pow10(e)) * 10 + 1e-13);
  if (m === 100) {
    if (e === 127) return undefined;
    m = 10;
    e++;
  }
  if (m < 10 || m > 99) return undefined; // the libraries' defensive check
  return { val: sign * m, exp: e };
}

/**
 * Maps the exact value `n · 10^scale` to its bucket with integer arithmetic
 * (`hist_insert_intscale`): e.g. nanoseconds with scale −9 give seconds without binary skew.
 */
export function bucketOfIntScale(n: bigint, scale: number): Bucket | undefined {
  if (n === 0n) return ZERO_BUCKET;
  const sign = n < 0n ? -1 : 1;
  const digits = (n < 0n ? -n : n).toString();
  const exp = scale + digits.length - 1;
  if (exp < -128) return ZERO_BUCKET;
  if (exp > 127) return undefined;
  return { val: sign * Number((digits + "0").slice(0, 2)), exp };
}

/** The bucket's edge nearer zero, `(val/10)·10^exp`. */
export function bucketEdge(b: Bucket): number {
  return b.val * pow10(b.exp - 1);
}

/** The bucket's width `10^(exp−1)` (0 for the zero bucket). */
export function bucketWidth(b: Bucket): number {
  return b.val === 0 ? 0 : pow10(b.exp - 1);
}

/** The bucket's left edge (nearer −∞): `B` for positive buckets, `B − W` for negative ones, 0 for zero. */
export function bucketLeft(b: Bucket): number {
  return b.val < 0 ? bucketEdge(b) - bucketWidth(b) : bucketEdge(b);
}

/** The Pareto midpoint `2ab/(a+b)` of the bucket's interval (mirrored for negatives; 0 for zero). */
export function paretoMidpoint(b: Bucket): number {
  if (b.val === 0) return 0;
  const lo = Math.abs(bucketEdge(b));
  const hi = lo + bucketWidth(b);
  const m = (2 * lo * hi) / (lo + hi);
  return b.val < 0 ? -m : m;
}

/** `H[1.2e+01]` mantissa/exponent text of a bucket, formatted from (val, exp), never via the double. */
export function bucketText(b: Bucket): string {
  if (b.val === 0) return "0.0e+00";
  const a = Math.abs(b.val);
  const e = Math.abs(b.exp);
  return `${b.val < 0 ? "-" : ""}${Math.floor(a / 10)}.${a % 10}e${b.exp < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
}

/** Real-axis rank of a bucket: negatives < 0 < positives, larger magnitude further out. Unique per bucket. */
function rankOf(b: Bucket): number {
  if (b.val === 0) return 0;
  const r = 1 + (b.exp + 128) * 90 + (Math.abs(b.val) - 10);
  return b.val < 0 ? -r : r;
}

function bucketOfRank(r: number): Bucket {
  if (r === 0) return ZERO_BUCKET;
  const a = Math.abs(r) - 1;
  const val = 10 + (a % 90);
  return { val: r < 0 ? -val : val, exp: Math.floor(a / 90) - 128 };
}

/** A log-linear histogram: bucket → count. Counts are `number`s (exact to 2^53). */
export class Histogram {
  private readonly _counts = new Map<number, number>();
  private _total = 0;

  /** Adds `count` samples of `v`; returns false (nothing stored) for the NaN bucket. */
  insert(v: number, count = 1): boolean {
    const b = bucketOf(v);
    return b !== undefined && this.insertBucket(b, count);
  }

  /** Adds `count` samples of the exact value `n · 10^scale`; false for the NaN bucket. */
  insertIntScale(n: bigint, scale: number, count = 1): boolean {
    const b = bucketOfIntScale(n, scale);
    return b !== undefined && this.insertBucket(b, count);
  }

  /** Adds `count` samples to a bucket (validated like the C reader). */
  insertBucket(b: Bucket, count: number): boolean {
    if (!isValidBucket(b)) throw new HistogramError(`invalid bucket (${b.val}, ${b.exp})`);
    if (!Number.isSafeInteger(count) || count < 0) throw new HistogramError(`invalid bucket count ${count}`);
    if (count === 0) return true;
    const r = rankOf(b);
    this._counts.set(r, (this._counts.get(r) ?? 0) + count);
    this._total += count;
    return true;
  }

  /** Adds every bucket of `other` (the merge that makes windows out of intervals). */
  merge(other: Histogram): this {
    for (const b of other.buckets()) this.insertBucket(b, b.count);
    return this;
  }

  /** Total number of samples. */
  get count(): number {
    return this._total;
  }

  /** Buckets with a non-zero count, in real-axis order. */
  buckets(): BucketCount[] {
    return [...this._counts.keys()].sort((x, y) => x - y).map((r) => ({ ...bucketOfRank(r), count: this._counts.get(r)! }));
  }

  /** Approximate sum: every sample at its bucket's Pareto midpoint (relative error < 1/21). */
  sum(): number {
    let s = 0;
    for (const b of this.buckets()) s += paretoMidpoint(b) * b.count;
    return s;
  }

  /** Approximate mean (Pareto midpoints); NaN when empty. */
  mean(): number {
    return this._total === 0 ? NaN : this.sum() / this._total;
  }

  /**
   * Quantiles (libcircllhist `hist_approx_quantile`, §5.1): type-1 on the samples of a bucket
   * spread evenly inside it at `L + k/(n+1)·W`. `qs` ascending in [0, 1]; NaN each when empty.
   */
  quantile(qs: readonly number[]): number[] {
    return this._walk(qs, (b, lo, n, t) => {
      let k = Math.ceil(t - lo);
      if (k === 0) k = 1;
      return bucketLeft(b) + (k / (n + 1)) * bucketWidth(b);
    });
  }

  /** Quantiles by linear interpolation inside the bucket (Go `ApproxQuantile`, §5.2). */
  quantileLinear(qs: readonly number[]): number[] {
    return this._walk(qs, (b, lo, n, t) => {
      const L = bucketLeft(b);
      if (t === lo) return L;
      if (t === lo + n) return L + bucketWidth(b);
      return L + ((t - lo) / n) * bucketWidth(b);
    });
  }

  /** `H[<mantissa>e<exp>]=<count>` for every bucket, in order (Go `DecStrings`). */
  toStrings(): string[] {
    return this.buckets().map((b) => `H[${bucketText(b)}]=${b.count}`);
  }

  /** Binary form (§8): u16 BE bucket count, then per bucket i8 val, i8 exp, u8 (len−1), count LE in `len` bytes. */
  serialize(): Uint8Array {
    const buckets = this.buckets();
    if (buckets.length > 0xffff) throw new HistogramError("too many buckets to serialise");
    const out: number[] = [buckets.length >> 8, buckets.length & 0xff];
    for (const b of buckets) {
      const bytes: number[] = [];
      for (let c = BigInt(b.count); c > 0n; c >>= 8n) bytes.push(Number(c & 0xffn));
      out.push(b.val & 0xff, b.exp & 0xff, bytes.length - 1, ...bytes);
    }
    return Uint8Array.from(out);
  }

  /** RFC 4648 base64 (with padding) of {@link serialize}. */
  toBase64(): string {
    return Buffer.from(this.serialize()).toString("base64");
  }

  /** Parses the binary form; rejects truncated data and invalid bucket bytes. */
  static deserialize(data: Uint8Array): Histogram {
    const h = new Histogram();
    if (data.length < 2) throw new HistogramError("histogram data too short: missing bucket count");
    const n = (data[0] << 8) | data[1];
    let p = 2;
    for (let i = 0; i < n; i++) {
      if (p + 3 > data.length) throw new HistogramError(`histogram data truncated in bucket ${i}`);
      const val = (data[p] << 24) >> 24;
      const exp = (data[p + 1] << 24) >> 24;
      const len = data[p + 2] + 1;
      p += 3;
      if (len > 8) throw new HistogramError(`bucket ${i}: count length ${len} is more than 8 bytes`);
      if (p + len > data.length) throw new HistogramError(`histogram data truncated in bucket ${i}`);
      let c = 0n;
      for (let k = len - 1; k >= 0; k--) c = (c << 8n) | BigInt(data[p + k]);
      p += len;
      if (!isValidBucket({ val, exp })) throw new HistogramError(`bucket ${i}: invalid bucket (${val}, ${exp})`);
      if (c > BigInt(Number.MAX_SAFE_INTEGER)) throw new HistogramError(`bucket ${i}: count ${c} exceeds 2^53`);
      h.insertBucket({ val, exp }, Number(c));
    }
    if (p !== data.length) throw new HistogramError(`${data.length - p} trailing byte(s) after ${n} bucket(s)`);
    return h;
  }

  /** Parses base64 produced by any circllhist implementation. */
  static fromBase64(text: string): Histogram {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new HistogramError("not base64");
    return Histogram.deserialize(Buffer.from(text, "base64"));
  }

  /** Parses `H[1.2e+01]=3` strings (Go `NewFromStrings`); repeated buckets add up. */
  static fromStrings(strings: readonly string[]): Histogram {
    const h = new Histogram();
    for (const s of strings) {
      const m = /^H\[(-?)(\d)\.(\d)e([+-])(\d{2,3})\]=(\d+)$/.exec(s);
      if (m === null) throw new HistogramError(`malformed bucket string ${JSON.stringify(s)}`);
      const mag = Number(m[2]) * 10 + Number(m[3]);
      const b = { val: m[1] === "-" ? -mag : mag, exp: m[4] === "-" ? -Number(m[5]) : Number(m[5]) };
      if (!isValidBucket(b)) throw new HistogramError(`invalid bucket in ${JSON.stringify(s)}`);
      h.insertBucket(b, Number(m[6]));
    }
    return h;
  }

  private _walk(qs: readonly number[], at: (b: Bucket, lo: number, n: number, t: number) => number): number[] {
    let prev = 0;
    for (const q of qs) {
      if (!(q >= 0 && q <= 1)) throw new HistogramError(`quantile ${q} is outside [0, 1]`);
      if (q < prev) throw new HistogramError("quantiles must be in ascending order");
      prev = q;
    }
    if (this._total === 0) return qs.map(() => NaN);
    const buckets = this.buckets();
    const out: number[] = [];
    let i = 0;
    let lo = 0;
    for (const q of qs) {
      const t = q * this._total;
      while (i < buckets.length - 1 && lo + buckets[i].count < t) lo += buckets[i++].count;
      const b = buckets[i];
      out.push(b.val === 0 ? 0 : at(b, lo, b.count, t));
    }
    return out;
  }
}

/** `true` for a bucket the libraries accept: zero (0, 0) or |val| in 10..99 with exp in −128..127. */
export function isValidBucket(b: Bucket): boolean {
  if (!Number.isInteger(b.val) || !Number.isInteger(b.exp) || b.exp < -128 || b.exp > 127) return false;
  if (b.val === 0) return true;
  const a = Math.abs(b.val);
  return a >= 10 && a <= 99;
}
