import { Counter, Histogram, Registry, type RegistryContentType } from "prom-client";
import { SeriesCounter, SeriesHistogram } from "../../../../src/mixer/adapters/prometheus/series";

/** The handler's series store and prom-client's own metrics, fed the same observations, print the same exposition. */
function registries(format: "PROMETHEUS" | "OPENMETRICS"): [Registry<RegistryContentType>, Registry<RegistryContentType>] {
  const ct = format === "OPENMETRICS" ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE;
  const a = new Registry<RegistryContentType>();
  const b = new Registry<RegistryContentType>();
  a.setContentType(ct);
  b.setContentType(ct);
  return [a, b];
}

/** Exemplar timestamps differ (prom-client stamps each observation, the store each batch): blank them. */
const noTimes = (text: string): string => text.replace(/(# \{[^}]*\} \S+) \d+(\.\d+)?$/gm, "$1 T");

/** A small deterministic generator. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe("prometheus series store", () => {
  it.each(["PROMETHEUS", "OPENMETRICS"] as const)("should print what prom-client prints for the same counter and histogram observations (%s)", async (format) => {
    const [mine, theirs] = registries(format);
    const ex = format === "OPENMETRICS";
    const exNames = ex ? ["trace_id"] : [];
    const bounds = [0.000001, 0.00001, 0.001, 0.1, 1];
    const c1 = new SeriesCounter("calls_total", "calls", ["function", "outcome"], exNames, mine);
    const h1 = new SeriesHistogram("dur_seconds", "durations", ["function"], exNames, bounds, mine);
    const c0 = new SeriesCounter("plain", "no labels", [], [], mine);
    const h0 = new SeriesHistogram("plain_hist", "no labels", [], [], bounds, mine);
    const pc1 = new Counter({ name: "calls_total", help: "calls", labelNames: ["function", "outcome"], registers: [theirs], enableExemplars: ex });
    const ph1 = new Histogram({ name: "dur_seconds", help: "durations", labelNames: ["function"], buckets: bounds, registers: [theirs], enableExemplars: ex });
    const pc0 = new Counter({ name: "plain", help: "no labels", registers: [theirs] });
    const ph0 = new Histogram({ name: "plain_hist", help: "no labels", buckets: bounds, registers: [theirs] });
    expect(noTimes(await mine.metrics())).toBe(noTimes(await theirs.metrics())); // the no-label series exist from the start

    const next = rng(7);
    for (let i = 0; i < 2000; i++) {
      const fn = `mod.f${Math.floor(next() * 7)}`;
      const outcome = next() < 0.2 ? "error" : "ok";
      const value = next() < 0.05 ? 3 : next() ** 4; // some past the last bound (+Inf only)
      const trace = next() < 0.3 ? "" : `t${i}`;
      const inc = next() < 0.5 ? 1 : 0.25;
      let s = c1.find([fn, outcome]) ?? c1.create([fn, outcome]);
      s.value += inc;
      if (ex && trace !== "") s.exemplar(0, trace, inc, 1, 1);
      // prom-client types the exemplar form of inc() only for counters created with exemplars known statically.
      if (ex) (pc1 as unknown as { inc(data: unknown): void }).inc({ labels: { function: fn, outcome }, value: inc, exemplarLabels: trace === "" ? undefined : { trace_id: trace } });
      else pc1.inc({ function: fn, outcome }, inc);
      s = h1.find([fn]) ?? h1.create([fn]);
      const slot = h1.slot(value);
      s.counts![slot]++;
      s.sum += value;
      s.count++;
      if (ex && trace !== "") s.exemplar(slot, trace, value, 1, s.counts!.length);
      if (ex) (ph1 as unknown as { observe(data: unknown): void }).observe({ labels: { function: fn }, value, exemplarLabels: trace === "" ? {} : { trace_id: trace } });
      else ph1.observe({ function: fn }, value);
      const p = c0.find([])!;
      p.value += inc;
      pc0.inc(inc);
      const q = h0.find([])!;
      q.counts![h0.slot(value)]++;
      q.sum += value;
      q.count++;
      ph0.observe(value);
      if (i === 1000) {
        // The expiry policy's removal, on both.
        c1.remove({ function: "mod.f3", outcome: "ok" });
        pc1.remove({ function: "mod.f3", outcome: "ok" });
        h1.remove({ function: "mod.f5" });
        ph1.remove({ function: "mod.f5" });
      }
    }
    const text = await mine.metrics();
    expect(text).toContain('dur_seconds_bucket{le="+Inf",function="mod.f0"}');
    if (ex) expect(text).toMatch(/# \{trace_id="t\d+"\}/);
    expect(noTimes(text)).toBe(noTimes(await theirs.metrics()));
    const json = async (r: Registry<RegistryContentType>): Promise<string> => JSON.stringify(await r.getMetricsAsJSON(), (k, v: unknown) => (k === "timestamp" ? "T" : v));
    expect(await json(mine)).toBe(await json(theirs));
  });

  it("should find nothing for label values never seen and drop emptied levels on removal", () => {
    const [reg] = registries("PROMETHEUS");
    const c = new SeriesCounter("c", "c", ["a", "b"], [], reg);
    expect(c.find(["x", "y"])).toBeUndefined();
    const s = c.create(["x", "y"]);
    expect(c.find(["x", "y"])).toBe(s);
    expect(c.find(["x", "z"])).toBeUndefined();
    c.remove({ a: "x", b: "y" });
    expect(c.find(["x", "y"])).toBeUndefined();
    expect(c.create(["x", "y"])).not.toBe(s);
  });
});
