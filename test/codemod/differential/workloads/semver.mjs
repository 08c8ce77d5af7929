// semver workload: every callable export over a grid of versions × ranges × options.
import { createRequire } from "node:module";
import { join } from "node:path";
import { main, ser } from "./common.mjs";

const require = createRequire(import.meta.url);

const VERSIONS = [
  "1.2.3",
  "1.2.3-alpha",
  "1.2.3-alpha.1",
  "1.2.3-beta.2",
  "1.2.3-0",
  "1.2.3+build.5",
  "1.2.3-rc.1+meta",
  "0.0.0",
  "0.0.1",
  "0.1.0",
  "0.1.0-pre",
  "1.0.0",
  "1.9.9",
  "2.0.0",
  "2.0.0-alpha.10",
  "2.0.0-alpha.9",
  "10.20.30",
  "999999999.0.0",
  "v1.2.3",
  "=1.2.3",
  " 1.2.3 ",
  "1.2.3.4",
  "1.2",
  "1",
  "01.2.3",
  "1.02.3",
  "1.2.3-01",
  "1.2.3-a.b.c.d",
  "1.2.3--",
  "~1.2.3",
  "not a version",
  "",
  "1.2.3-alpha..1",
  "x.y.z",
  "1.2.3-ALPHA",
  "3.4.5-pre.0+xyz.1",
  "12345678901234567890.0.0",
  "4.0.0-rc.0",
  "4.0.0",
  "5.5.5-5.5",
];

const RANGES = [
  "*",
  "",
  "x",
  "1.x",
  "1.2.x",
  "^1.2.3",
  "^0.1.2",
  "^0.0.3",
  "~1.2.3",
  "~1.2",
  "~1",
  ">=1.0.0 <2.0.0",
  ">1.2.3-alpha",
  "<=2.0.0-alpha.10",
  "1.2.3 - 2.3.4",
  "1.2 - 2",
  "1.2.3 || >=4.0.0",
  "^1 || ^2 || ^4",
  ">=0.1.0 <0.2.0 || 2.x",
  "=1.2.3",
  "1.2.3",
  "v1.2.3",
  "~>1.2",
  ">=01.2.3",
  "<1.0.0-0",
  "^1.2.3-beta.2",
  ">1 <1",
  "x.y.z",
  "not a range",
  ">= 1.2.3",
  "~ 1.2.3",
  "^ 2",
  "||",
  "1.2.3 - ",
  ">=1.2.3 <=1.2.3",
];

const OPTIONS = [
  undefined,
  { loose: true },
  { includePrerelease: true },
  { loose: true, includePrerelease: true },
  true,
];

const RELEASES = [
  "major",
  "minor",
  "patch",
  "premajor",
  "preminor",
  "prepatch",
  "prerelease",
  "release",
  "pre",
  "bogus",
];

const ONE_VERSION = ["parse", "valid", "clean", "major", "minor", "patch", "prerelease", "coerce"];
const TWO_VERSIONS = [
  "compare",
  "rcompare",
  "compareLoose",
  "compareBuild",
  "diff",
  "eq",
  "neq",
  "gt",
  "gte",
  "lt",
  "lte",
];
const VERSION_RANGE = ["satisfies", "gtr", "ltr"];
const ONE_RANGE = ["validRange", "minVersion", "toComparators"];
const TWO_RANGES = ["intersects", "subset"];
const LIST_RANGE = ["maxSatisfying", "minSatisfying", "simplifyRange"];

const isClass = (fn) => /^class\b/.test(Function.prototype.toString.call(fn));

function grid(rec, semver, covered) {
  const call = (name, ...args) =>
    rec.sync(`${name}(${args.map((a) => ser(a)).join(", ")})`, () => semver[name](...args));
  const few = VERSIONS.filter((_, i) => i % 2 === 0);
  for (const name of ONE_VERSION) for (const v of VERSIONS) for (const o of OPTIONS) call(name, v, o);
  for (const o of OPTIONS)
    for (const v of VERSIONS) call("coerce", `${v} and 3.4`, { ...(o || {}), rtl: true });
  for (const name of TWO_VERSIONS)
    for (const a of few) for (const b of VERSIONS) for (const o of OPTIONS.slice(0, 3)) call(name, a, b, o);
  for (const a of few)
    for (const op of ["", "=", "==", "===", "!=", "!==", ">", ">=", "<", "<=", "~"])
      for (const b of few) call("cmp", a, op, b, { loose: true });
  for (const name of VERSION_RANGE)
    for (const v of VERSIONS) for (const r of RANGES) for (const o of OPTIONS) call(name, v, r, o);
  for (const v of VERSIONS)
    for (const r of RANGES) for (const hilo of [">", "<", "!"]) call("outside", v, r, hilo);
  for (const name of ONE_RANGE) for (const r of RANGES) for (const o of OPTIONS) call(name, r, o);
  for (const name of TWO_RANGES)
    for (const a of RANGES) for (const b of RANGES) for (const o of OPTIONS.slice(0, 3)) call(name, a, b, o);
  for (const name of LIST_RANGE) for (const r of RANGES) for (const o of OPTIONS) call(name, VERSIONS, r, o);
  for (const v of VERSIONS)
    for (const rel of RELEASES)
      for (const id of [undefined, "beta", "rc.1"])
        for (const base of [undefined, "0", "1", false]) call("inc", v, rel, { loose: true }, id, base);
  for (const v of VERSIONS) for (const rel of RELEASES) call("truncate", v, rel);
  for (const o of OPTIONS) {
    call(
      "sort",
      VERSIONS.filter((v) => semver.valid(v, o)),
      o,
    );
    call(
      "rsort",
      VERSIONS.filter((v) => semver.valid(v, o)),
      o,
    );
  }
  for (const a of ["1", "2", "a", "b", "10", 3, 4])
    for (const b of ["1", "2", "a", "10", 3]) {
      call("compareIdentifiers", a, b);
      call("rcompareIdentifiers", a, b);
    }
  for (const n of [
    ...ONE_VERSION,
    ...TWO_VERSIONS,
    ...VERSION_RANGE,
    ...ONE_RANGE,
    ...TWO_RANGES,
    ...LIST_RANGE,
  ])
    covered.add(n);
  for (const n of [
    "cmp",
    "outside",
    "inc",
    "truncate",
    "sort",
    "rsort",
    "compareIdentifiers",
    "rcompareIdentifiers",
  ])
    covered.add(n);
}

function classes(rec, semver, covered) {
  for (const v of VERSIONS)
    for (const o of OPTIONS.slice(0, 3)) {
      rec.sync(`new SemVer(${ser(v)}, ${ser(o)})`, () => {
        const s = new semver.SemVer(v, o);
        return [
          s,
          s.format(),
          s.toString(),
          s.compare("1.2.3"),
          s.compareMain("2.0.0"),
          s.comparePre("1.2.3-beta"),
          s.compareBuild("1.2.3+b"),
        ];
      });
      rec.sync(`SemVer#inc(${ser(v)})`, () => new semver.SemVer(v, o).inc("prerelease", "x").version);
    }
  for (const r of RANGES)
    for (const o of OPTIONS.slice(0, 3)) {
      rec.sync(`new Range(${ser(r)}, ${ser(o)})`, () => {
        const range = new semver.Range(r, o);
        return [
          range.range,
          range.format(),
          range.toString(),
          VERSIONS.map((v) => range.test(v)),
          range.intersects(new semver.Range("^1.2.3")),
        ];
      });
      rec.sync(`new Comparator(${ser(r)}, ${ser(o)})`, () => {
        const c = new semver.Comparator(r, o);
        return [
          c.operator,
          c.value,
          c.toString(),
          VERSIONS.map((v) => c.test(v)),
          c.intersects(new semver.Comparator(">=1.0.0")),
        ];
      });
    }
  rec.sync("new SemVer(SemVer)", () => new semver.SemVer(new semver.SemVer("1.2.3-beta")));
  rec.sync("new Range(Comparator)", () => new semver.Range(new semver.Comparator(">1.0.0")).range);
  rec.sync("SemVer without new", () => semver.SemVer("1.2.3"));
  rec.sync("new SemVer(number)", () => new semver.SemVer(123));
  rec.sync("new SemVer(too long)", () => new semver.SemVer("1".repeat(300) + ".0.0"));
  for (const n of ["SemVer", "Range", "Comparator"]) covered.add(n);
}

await main(async (rec, opts) => {
  const semver = require(opts.pkg);
  const covered = new Set();
  grid(rec, semver, covered);
  classes(rec, semver, covered);
  // Every callable export must be covered above, so a new export fails loudly here.
  const callable = Object.keys(semver).filter((k) => typeof semver[k] === "function");
  rec.note(`exports ${ser(Object.keys(semver))}`);
  rec.note(`uncovered ${ser(callable.filter((k) => !covered.has(k)))}`);
  rec.note(`classes ${ser(callable.filter((k) => isClass(semver[k])))}`);
  rec.note(`SEMVER_SPEC_VERSION ${semver.SEMVER_SPEC_VERSION} RELEASE_TYPES ${ser(semver.RELEASE_TYPES)}`);
  // The submodules one by one, as `require('semver/functions/x')` users load them.
  const sub = require(join(opts.pkg, "functions", "satisfies.js"));
  const ranges = require(join(opts.pkg, "ranges", "intersects.js"));
  for (const v of VERSIONS) rec.sync(`functions/satisfies(${ser(v)})`, () => sub(v, "^1.2.3 || 2.x"));
  for (const r of RANGES) rec.sync(`ranges/intersects(${ser(r)})`, () => ranges(r, ">=1.2.3"));
});
