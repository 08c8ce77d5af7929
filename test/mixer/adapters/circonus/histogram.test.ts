import { Histogram, HistogramError, bucketOf, bucketOfIntScale, bucketText, paretoMidpoint, bucketLeft, bucketWidth } from "../../../../src/mixer/adapters/circonus/histogram";

const hist = (values: number[]): Histogram => {
  const h = new Histogram();
  for (const v of values) expect(h.insert(v)).toBe(true);
  return h;
};
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex").replace(/(..)/g, "$1 ").trim();

describe("circllhist bucket mapping (spec §2, §9.1)", () => {
  it.each([
    [0, 0, 0, "0.0e+00", 0],
    [9.99e-129, 0, 0, "0.0e+00", 0],
    [1e-128, 10, -128, "1.0e-128", 1.0476e-128],
    [0.1, 10, -1, "1.0e-01", 0.104762],
    [0.11, 11, -1, "1.1e-01", 0.114783],
    [1, 10, 0, "1.0e+00", 1.047619],
    [1.23, 12, 0, "1.2e+00", 1.248],
    [12, 12, 1, "1.2e+01", 12.48],
    [12.9, 12, 1, "1.2e+01", 12.48],
    [99.99, 99, 1, "9.9e+01", 99.4975],
    [100, 10, 2, "1.0e+02", 104.762],
    [-0.5, -50, -1, "-5.0e-01", -0.50495],
    [-12.3, -12, 1, "-1.2e+01", -12.48],
    [1.234e9, 12, 9, "1.2e+09", 1.248e9],
    [1e127, 10, 127, "1.0e+127", undefined],
    [0.0031, 31, -3, "3.1e-03", undefined],
    [0.0025, 25, -3, "2.5e-03", undefined],
  ])("should map %p to (%p, %p) %s", (v, val, exp, text, mid) => {
    const b = bucketOf(v)!;
    expect(b).toEqual({ val, exp });
    expect(bucketText(b)).toBe(text);
    if (mid !== undefined) expect(paretoMidpoint(b) / (mid || 1)).toBeCloseTo(mid === 0 ? 0 : 1, 4);
  });

  it.each([[1e128], [NaN], [Infinity], [-Infinity], [-1e200]])("should map %p to the NaN bucket", (v) => {
    expect(bucketOf(v)).toBeUndefined();
    expect(new Histogram().insert(v)).toBe(false);
  });

  it("should give intervals closed below for positives and closed at the end nearer zero for negatives", () => {
    expect([bucketLeft({ val: 12, exp: 1 }), bucketWidth({ val: 12, exp: 1 })]).toEqual([12, 1]);
    expect([bucketLeft({ val: -12, exp: 1 }), bucketWidth({ val: -12, exp: 1 })]).toEqual([-13, 1]);
    expect(bucketOf(-12)).toEqual({ val: -12, exp: 1 });
    expect(bucketOf(-12.999)).toEqual({ val: -12, exp: 1 });
    expect(bucketOf(-13)).toEqual({ val: -13, exp: 1 });
    expect(bucketOf(99.999999)).toEqual({ val: 99, exp: 1 });
  });

  it("should bucket integer-scaled values exactly (1234 ms in ns, seconds from ns)", () => {
    expect(bucketOfIntScale(1_234_000_000n, 0)).toEqual({ val: 12, exp: 9 });
    expect(bucketOfIntScale(1_234_000_000n, -9)).toEqual({ val: 12, exp: 0 });
    expect(bucketOfIntScale(3_100_000n, -9)).toEqual({ val: 31, exp: -3 }); // 3.1 ms in s: no binary skew
    expect(bucketOfIntScale(5n, 0)).toEqual({ val: 50, exp: 0 });
    expect(bucketOfIntScale(-120n, 0)).toEqual({ val: -12, exp: 2 });
    expect(bucketOfIntScale(0n, -9)).toEqual({ val: 0, exp: 0 });
    expect(bucketOfIntScale(1n, -200)).toEqual({ val: 0, exp: 0 });
    expect(bucketOfIntScale(1n, 200)).toBeUndefined();
  });
});

describe("circllhist strings and binary form (spec §7, §8)", () => {
  it("should write and read the §8 examples byte for byte", () => {
    const a = hist([12, 12.5, 12.9, 15, 150]);
    expect(hex(a.serialize())).toBe("00 03 0c 01 00 03 0f 01 00 01 0f 02 00 01");
    expect(a.toBase64()).toBe("AAMMAQADDwEAAQ8CAAE=");
    const b = new Histogram();
    b.insert(5, 70300);
    expect(hex(b.serialize())).toBe("00 01 32 00 02 9c 12 01");
    expect(b.toBase64()).toBe("AAEyAAKcEgE=");
    const c = hist([-12.3, -1, 0, 1, 12.3]);
    expect(c.toBase64()).toBe("AAX0AQAB9gAAAQAAAAEKAAABDAEAAQ==");
    for (const h of [a, b, c]) expect(Histogram.fromBase64(h.toBase64()).buckets()).toEqual(h.buckets());
  });

  it("should decode the start of the Circonus docs example (zero bucket 414, then (80, -10) 383)", () => {
    const bytes = Uint8Array.from([0x00, 0x02, 0x00, 0x00, 0x01, 0x9e, 0x01, 0x50, 0xf6, 0x01, 0x7f, 0x01]);
    expect(Histogram.deserialize(bytes).buckets()).toEqual([
      { val: 0, exp: 0, count: 414 },
      { val: 80, exp: -10, count: 383 },
    ]);
  });

  it("should write minimal count lengths and accept any length 1..8 on read", () => {
    const h = new Histogram();
    h.insertBucket({ val: 10, exp: 0 }, 2 ** 32);
    expect(hex(h.serialize())).toBe("00 01 0a 00 04 00 00 00 00 01");
    expect(Histogram.deserialize(Uint8Array.from([0, 1, 10, 0, 7, 5, 0, 0, 0, 0, 0, 0, 0])).buckets()).toEqual([{ val: 10, exp: 0, count: 5 }]);
  });

  it.each([
    [[0], "missing bucket count"],
    [[0, 1, 10, 0], "truncated in bucket 0"],
    [[0, 1, 10, 0, 1, 5], "truncated in bucket 0"],
    [[0, 1, 5, 0, 0, 1], "bucket 0: invalid bucket (5, 0)"],
    [[0, 1, 100, 0, 0, 1], "bucket 0: invalid bucket (100, 0)"],
    [[0, 1, 10, 0, 8, 1, 0, 0, 0, 0, 0, 0, 0, 0], "count length 9 is more than 8 bytes"],
    [[0, 0, 1], "1 trailing byte(s)"],
  ])("should reject binary %j", (bytes, message) => {
    expect(() => Histogram.deserialize(Uint8Array.from(bytes))).toThrow(message);
  });

  it("should format and parse bucket strings like Go DecStrings / NewFromStrings", () => {
    const h = new Histogram();
    h.insert(12, 3);
    h.insertIntScale(1_234_000_000n, 0);
    h.insert(0.0025);
    h.insert(-12);
    h.insert(0, 7);
    h.insert(1e127);
    expect(h.toStrings()).toEqual(["H[-1.2e+01]=1", "H[0.0e+00]=7", "H[2.5e-03]=1", "H[1.2e+01]=3", "H[1.2e+09]=1", "H[1.0e+127]=1"]);
    expect(Histogram.fromStrings(h.toStrings()).buckets()).toEqual(h.buckets());
    expect(Histogram.fromStrings(["H[1.2e+01]=1", "H[1.2e+01]=2"]).buckets()).toEqual([{ val: 12, exp: 1, count: 3 }]);
    for (const bad of ["H[1.2e+1]=1", "H[12e+01]=1", "H[0.5e+00]=1", "H[1.2e+01]", "1.5", "H[1.2e+01]=-1", "H[1.2e+200]=1"]) {
      expect(() => Histogram.fromStrings([bad])).toThrow(HistogramError);
    }
  });
});

describe("circllhist quantiles and mean (spec §5, §6, §9.2, §9.3)", () => {
  const QS = [0, 0.25, 0.5, 0.75, 0.9, 1];

  it("should reproduce the five request durations of §9.2", () => {
    const h = hist([0.0025, 0.0031, 0.00315, 0.0049, 1.234]);
    expect(h.toStrings()).toEqual(["H[2.5e-03]=1", "H[3.1e-03]=2", "H[4.9e-03]=1", "H[1.2e+00]=1"]);
    expect(h.toBase64()).toBe("AAQZ/QABH/0AAjH9AAEMAAAB");
    const type1 = [0.00255, 0.0031333, 0.0031667, 0.00495, 1.25, 1.25];
    const linear = [0.0025, 0.0031125, 0.003175, 0.004975, 1.25, 1.3];
    h.quantile(QS).forEach((v, i) => expect(v / type1[i]).toBeCloseTo(1, 4));
    h.quantileLinear(QS).forEach((v, i) => expect(v / linear[i]).toBeCloseTo(1, 4));
    expect(h.mean() / 0.252359).toBeCloseTo(1, 4);
  });

  it("should merge interval histograms (§9.3)", () => {
    const h = Histogram.fromStrings(["H[1.2e+01]=3"]).merge(Histogram.fromStrings(["H[1.5e+01]=1", "H[1.5e+02]=1"]));
    expect(h.toBase64()).toBe("AAMMAQADDwEAAQ8CAAE=");
    expect(h.count).toBe(5);
    const type1 = [12.25, 12.5, 12.75, 15.5, 155, 155];
    const linear = [12, 12.4167, 12.8333, 15.75, 155, 160];
    h.quantile(QS).forEach((v, i) => expect(v).toBeCloseTo(type1[i], 3));
    h.quantileLinear(QS).forEach((v, i) => expect(v).toBeCloseTo(linear[i], 3));
  });

  it("should report zero samples exactly and NaN for an empty histogram", () => {
    expect(hist([0, 0, 5]).quantile([0, 0.5, 1])).toEqual([0, 0, 5.05]);
    expect(new Histogram().quantile([0.5])).toEqual([NaN]);
    expect(new Histogram().mean()).toBeNaN();
  });

  it("should reject quantiles out of range or out of order", () => {
    expect(() => hist([1]).quantile([0.5, 0.2])).toThrow("ascending");
    expect(() => hist([1]).quantile([1.5])).toThrow("outside [0, 1]");
    expect(() => hist([1]).quantile([NaN])).toThrow("outside [0, 1]");
  });

  it("should keep every quantile within 10 % of the sample and inside its bucket (§6 rule), over random data", () => {
    let seed = 42;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 20; round++) {
      const n = 1 + Math.floor(rnd() * 500);
      const xs = Array.from({ length: n }, () => (rnd() < 0.1 ? -1 : 1) * Math.exp(rnd() * 20 - 10));
      const h = hist(xs);
      const sorted = [...xs].sort((a, b) => a - b);
      const qs = [0, 0.01, 0.1, 0.33, 0.5, 0.77, 0.9, 0.99, 1];
      const [t1, lin] = [h.quantile(qs), h.quantileLinear(qs)];
      qs.forEach((q, i) => {
        const x = sorted[Math.max(1, Math.ceil(q * n)) - 1];
        const b = bucketOf(x)!;
        const [L, W] = [bucketLeft(b), bucketWidth(b)];
        for (const est of [t1[i], lin[i]]) {
          expect(Math.abs(est - x)).toBeLessThanOrEqual(0.1 * Math.abs(x) * (1 + 1e-12));
          expect(est).toBeGreaterThanOrEqual(L - 1e-12 * Math.abs(L));
          expect(est).toBeLessThanOrEqual(L + W + 1e-12 * Math.abs(L));
        }
      });
      const exactMean = xs.reduce((a, b) => a + Math.abs(b), 0) / n;
      const absHist = hist(xs.map(Math.abs));
      expect(Math.abs(absHist.mean() - exactMean) / exactMean).toBeLessThan(1 / 21);
    }
  });
});
