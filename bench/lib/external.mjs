// Benches written by other parts of the project, run by the driver as extra groups. They print
// text tables; these adapters turn their lines into rows. (Once they print JSON rows in the
// harness format, the parsers can go.)
import { existsSync } from "node:fs";
import { join } from "node:path";

const LINE_NS = /^(\S.*?)\s{2,}([\d.]+) ns\b(?:\s+extra\s+(-?[\d.]+) ns)?/;

function tableRows(stdout, meta, pick) {
  const rows = [];
  for (const line of stdout.split("\n")) {
    const r = pick(line.trimEnd());
    if (r) rows.push({ node: meta.node, group: meta.group, ...r });
  }
  if (rows.length === 0) rows.push({ group: meta.group, name: meta.group, error: "could not parse its output" });
  return rows;
}

/** group name -> { file, available(root), command(root, quick), parse(stdout, meta) } */
export const EXTERNAL = {
  mixer: {
    file: "bench/mixer-report.bench.mjs",
    command: (root, quick) => [join(root, "bench/mixer-report.bench.mjs"), "--rounds", quick ? "3" : "7"],
    // "<scenario>  <median> [<min> <cpu>] <bags/s> <x baseline>": first number the median, last the ratio
    parse(stdout, meta) {
      let baseline = null;
      return tableRows(stdout, meta, (line) => {
        const m = /^(\S.*?)\s{2,}([\d.]+(?:\s+[\d.,]+)+)$/.exec(line);
        if (!m) return null;
        const name = m[1].trim();
        const nums = m[2].trim().split(/\s+/).map((x) => Number(x.replace(/,/g, "")));
        if (nums.length < 3) return null;
        const median = nums[0];
        if (name.startsWith("baseline")) baseline = { name, median };
        return {
          mode: name.startsWith("baseline") ? "base" : "report", name: `Mixer report path: ${name}`, unit: "ns/bag", median,
          min: nums.length >= 5 ? nums[1] : undefined, ratio: nums[nums.length - 1],
          baseline: baseline ? `Mixer report path: ${baseline.name} (same process)` : "itself",
        };
      });
    },
  },
  "export-cost": {
    file: "bench/export-cost.bench.mjs",
    command: (root, quick) => [join(root, "bench/export-cost.bench.mjs"), ...(quick ? ["--rounds", "2", "--calls", "20000"] : ["--rounds", "7"])],
    // "[shape: ]<who>, <exporter>  <median> ns [ratio r]"; the budget's baseline is the SDK span
    // with a no-op exporter of the same shape, so the ratio is recomputed against that line
    parse(stdout, meta) {
      const medians = {};
      const rows = tableRows(stdout, meta, (line) => {
        const m = /^(\S.*?)\s{2,}([\d.]+) ns\b/.exec(line);
        if (!m || line.includes(" / ")) return null;
        const name = m[1].trim();
        medians[name] = Number(m[2]);
        return { mode: /(^|: )functrace/.test(name) ? "functrace" : "sdk", name: `export cost: ${name}`, unit: "ns/span", median: Number(m[2]) };
      });
      for (const r of rows) {
        if (r.mode !== "functrace") continue;
        const shape = /^(.*?: )?/.exec(r.name.slice("export cost: ".length))[0];
        const base = medians[`${shape}sdk, no-op exporter`];
        if (base) Object.assign(r, { ratio: r.median / base, baseline: `export cost: ${shape}sdk, no-op exporter (same process)` });
      }
      return rows;
    },
  },
  "filter-cost": {
    file: "bench/filter-cost.bench.mjs",
    command: (root, quick) => [join(root, "bench/filter-cost.bench.mjs"), "--rounds", quick ? "3" : "7"],
    parse(stdout, meta) {
      let base = null;
      return tableRows(stdout, meta, (line) => {
        const m = LINE_NS.exec(line);
        if (!m) return null;
        const name = m[1].trim();
        const median = Number(m[2]);
        if (name === "uninstrumented") base = median;
        return {
          mode: name === "uninstrumented" ? "base" : "filter", name: `filter cost: ${name}`, unit: "ns/call", median,
          ratio: base ? median / base : undefined, baseline: "filter cost: uninstrumented (same process)", perCallNs: m[3] === undefined ? undefined : Number(m[3]),
        };
      });
    },
  },
};

for (const ext of Object.values(EXTERNAL)) ext.available = (root) => existsSync(join(root, ext.file));
