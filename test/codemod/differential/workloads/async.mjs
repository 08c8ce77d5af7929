// async workload: control flow with callbacks and promises over seeded random scenarios, run
// against three builds of the package (the UMD bundle, the per-function CommonJS modules and
// the ESM bundle), plus `fn.length` and parameter lists (toString) of every export and of the
// user functions async inspects (autoInject reads parameter names from toString()).
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { main, rng, ser } from "./common.mjs";

const require = createRequire(import.meta.url);

/** Run a callback-style call to completion: [error, results...] plus the order log. */
function settle(start) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (value) => {
      if (!done) resolve(value);
      done = true;
    };
    try {
      const ret = start((...args) => finish({ cb: args }));
      if (ret && typeof ret.then === "function")
        ret.then(
          (v) => finish({ resolved: v }),
          (e) => finish({ rejected: e }),
        );
    } catch (e) {
      finish({ threw: e });
    }
  });
}

/** The signature part of a function's source: everything up to its first `)` (unchanged by instrumentation). */
function signature(fn) {
  const src = Function.prototype.toString.call(fn);
  return src.slice(0, src.indexOf(")") + 1).replace(/\s+/g, " ");
}

const COLLECTION = {
  map: "value",
  mapSeries: "value",
  each: "value",
  eachSeries: "value",
  filter: "truth",
  filterSeries: "truth",
  reject: "truth",
  rejectSeries: "truth",
  detect: "truth",
  detectSeries: "truth",
  some: "truth",
  someSeries: "truth",
  every: "truth",
  everySeries: "truth",
  concat: "concat",
  concatSeries: "concat",
  groupBy: "group",
  groupBySeries: "group",
  sortBy: "key",
};
const LIMITED = {
  mapLimit: "value",
  eachLimit: "value",
  filterLimit: "truth",
  rejectLimit: "truth",
  detectLimit: "truth",
  someLimit: "truth",
  everyLimit: "truth",
  concatLimit: "concat",
  groupByLimit: "group",
};

/** One random scenario: which combinator, on what data, failing where, callback or promise style. */
function scenario(r, lib, T, useAsyncFns) {
  const log = [];
  const data = Array.from({ length: r.int(9) }, () => r.int(40));
  const failItem = r.int(3) === 0 ? r.pick(data.length ? data : [0]) : -1;
  const failOn = (x) => x === failItem;
  const promise = r.int(3) === 0;
  const call = (fn, ...args) =>
    promise
      ? (cb) =>
          fn(...args).then(
            (v) => cb(null, v),
            (e) => cb(e),
          )
      : (cb) => fn(...args, cb);
  const asyncFn = useAsyncFns && r.int(4) === 0;
  const pick = r.int(20);
  const label = (name) =>
    `${name} ${ser(data)} fail=${failItem} ${promise ? "promise" : "callback"}${asyncFn ? " asyncFn" : ""}`;
  const it = (kind) => (asyncFn ? T.makeAsyncIteratee(log, kind, failOn) : T.makeIteratee(log, kind, failOn));
  let name;
  let start;
  if (pick < 6) {
    name = r.pick(Object.keys(COLLECTION));
    start = call(lib[name], data, it(COLLECTION[name]));
  } else if (pick < 10) {
    name = r.pick(Object.keys(LIMITED));
    start = call(lib[name], data, 1 + r.int(3), it(LIMITED[name]));
  } else {
    [name, start] = special(r, lib, T, { log, data, failOn, call, pick, asyncFn });
  }
  return { label: label(name), log, start };
}

function special(r, lib, T, s) {
  const { log, data, failOn, call } = s;
  const failAt = r.int(6) - 1;
  switch (s.pick) {
    case 10:
      return ["series", call(lib.series, T.taskList(log, data.length, failAt))];
    case 11:
      return ["parallelLimit", call(lib.parallelLimit, T.taskList(log, data.length, failAt), 2)];
    case 12:
      return ["waterfall", call(lib.waterfall, T.waterfallList(data.length, failAt))];
    case 13:
      return ["autoInject", call(lib.autoInject, T.injectTasks(log, s.asyncFn))];
    case 14:
      return ["auto", call(lib.auto, T.autoTasks(log, r.pick(["", "two"])), 1 + r.int(2))];
    case 15:
      return [
        "eachOf/mapValues",
        call(
          r.int(2) ? lib.eachOfLimit : lib.mapValuesLimit,
          Object.fromEntries(data.map((d, i) => [i, d])),
          2,
          T.makeKeyedIteratee(log, failOn),
        ),
      ];
    case 16:
      return ["reduce", call(r.int(2) ? lib.reduce : lib.reduceRight, data, 0, T.reducer)];
    case 17:
      return ["transform", call(lib.transform, data, [], T.transformer)];
    case 18:
      return [
        "times",
        call(lib.timesLimit, data.length, 2, (n, cb) =>
          T.later(n % 2, () => cb(failOn(n) ? new Error(`time ${n}`) : null, n * 3)),
        ),
      ];
    default:
      return ["retry", retry(r, lib, T, s)];
  }
}

function retry(r, lib, T, s) {
  let attempts = 0;
  const succeedAt = r.int(5);
  const task = (cb) =>
    T.later(1, () => (++attempts > succeedAt ? cb(null, attempts) : cb(new Error(`attempt ${attempts}`))));
  const opts = { times: 1 + r.int(4), interval: 0, errorFilter: (e) => e.message !== "attempt 3" };
  return s.call(lib.retry, opts, task);
}

/** Queues: push, drain, errors, pause/resume, priorities, cargo. */
async function queues(rec, lib, T, tag) {
  for (const concurrency of [1, 2, 5]) {
    await rec.async(`${tag} queue c=${concurrency}`, async () => {
      const log = [];
      const q = lib.queue(
        T.makeIteratee(log, "value", (x) => x === 7),
        concurrency,
      );
      q.error((err, task) => log.push(`error ${err.message} ${task}`));
      for (const x of [1, 2, 3, 4, 5, 6, 7, 8, 9])
        q.push(x, (err, v) => log.push(`done ${x} ${err ? err.message : v}`));
      log.push(`length ${q.length()} running ${q.running()} idle ${q.idle()}`);
      q.pause();
      setImmediate(() => q.resume());
      await q.drain();
      return [log, q.length(), q.idle()];
    });
  }
  await rec.async(`${tag} priorityQueue`, async () => {
    const log = [];
    const q = lib.priorityQueue(
      T.makeIteratee(log, "value", () => false),
      1,
    );
    [5, 1, 9, 3].forEach((p, i) => q.push(i, p, () => log.push(`done ${i}@${p}`)));
    await q.drain();
    return log;
  });
  await rec.async(`${tag} cargoQueue`, async () => {
    const log = [];
    const q = lib.cargoQueue(
      (tasks, cb) => T.later(1, () => (log.push(`batch ${tasks.join(",")}`), cb())),
      2,
      3,
    );
    for (let i = 0; i < 10; i++) q.push(i);
    await q.drain();
    return log;
  });
}

/** The utilities: memoize, timeout, race, tryEach, reflect, seq/compose, applyEach, whilst... */
async function utilities(rec, lib, T, tag) {
  const s = (name, start) => rec.async(`${tag} ${name}`, () => settle(start));
  const slowDouble = (x, cb) => T.later(1, () => cb(null, x * 2));
  await s("memoize", (cb) => {
    const m = lib.memoize(slowDouble);
    m(2, () => m(2, (e, v) => cb(e, v, lib.unmemoize(m).length, m.length)));
  });
  await s("timeout never", (cb) => lib.timeout((x, done) => void done, 1, "info")(3, cb));
  await s("timeout sync", (cb) => lib.timeout((x, done) => done(null, x), 1000)(4, cb));
  await s("race", (cb) =>
    lib.race([(c) => T.later(2, () => c(null, "slow")), (c) => T.later(1, () => c(null, "fast"))], cb),
  );
  await s("tryEach", (cb) => lib.tryEach([(c) => c(new Error("first")), (c) => c(null, "second")], cb));
  await s("reflectAll", (cb) =>
    lib.parallel(lib.reflectAll([(c) => c(null, 1), (c) => c(new Error("two")), (c) => c(null, 3, 4)]), cb),
  );
  await s("seq", (cb) => lib.seq(slowDouble, slowDouble)(3, cb));
  await s("compose", (cb) => lib.compose(slowDouble, (x, c) => c(null, x + 1)).call({ ctx: 1 }, 3, cb));
  await s("applyEach", (cb) =>
    lib.applyEach([(a, b, c) => c(null, a + b), (a, b, c) => c(null, a * b)], 3, 4)(cb),
  );
  await s("apply", (cb) => lib.apply((a, b, c) => c(null, [a, b]), 1, 2)(cb));
  await s("constant", (cb) => lib.waterfall([lib.constant(1, 2), (a, b, c) => c(null, a + b)], cb));
  await s("asyncify", (cb) => lib.asyncify((x) => JSON.parse(x))("[1,2]", cb));
  await s("asyncify throws", (cb) => lib.asyncify((x) => JSON.parse(x))("{bad", cb));
  await s("ensureAsync", (cb) => lib.ensureAsync((x, c) => c(null, x))(9, cb));
  await s("whilst", (cb) => {
    let n = 0;
    lib.whilst(
      (c) => c(null, n < 5),
      (c) => T.later(1, () => c(null, ++n)),
      cb,
    );
  });
  await s("doUntil", (cb) => {
    let n = 0;
    lib.doUntil(
      (c) => c(null, ++n),
      (v, c) => c(null, v >= 3),
      cb,
    );
  });
  await s("forever", (cb) => {
    let n = 0;
    lib.forever((next) => T.later(0, () => next(++n > 4 ? new Error(`stop at ${n}`) : null)), cb);
  });
  await s("retryable", (cb) => {
    let n = 0;
    lib.retryable(3, (c) => c(++n < 3 ? new Error(`try ${n}`) : null, n))(cb);
  });
  await s("setImmediate/nextTick", (cb) =>
    lib.setImmediate((a) => lib.nextTick((b) => cb(null, a, b), 2), 1),
  );
  await s("wrapSync", (cb) => lib.wrapSync(Math.max)(3, 9, 4, cb));
}

/** `length` and parameter lists of every exported function and of the user functions. */
function shapes(rec, lib, T, tag) {
  for (const k of Object.keys(lib).sort()) {
    const v = lib[k];
    if (typeof v === "function") rec.sync(`${tag} shape ${k}`, () => [v.name, v.length, signature(v)]);
  }
  for (const [k, v] of Object.entries(T))
    rec.sync(`tasks shape ${k}`, () => [v.name, v.length, signature(v), v.constructor.name]);
  const inject = T.injectTasks([], true);
  for (const [k, v] of Object.entries(inject)) {
    const fn = Array.isArray(v) ? v[v.length - 1] : v;
    rec.sync(`injectTasks shape ${k}`, () => [
      fn.name,
      fn.length,
      signature(fn),
      fn[Symbol.toStringTag] ?? "sync",
    ]);
  }
}

async function runAll(rec, lib, T, tag, count, opts) {
  const r = rng(tag.length * 1009);
  shapes(rec, lib, T, tag);
  for (let i = 0; i < count; i++) {
    const sc = scenario(r, lib, T, !opts.awaitedOnly);
    await rec.async(`${tag} #${i} ${sc.label}`, async () => [await settle(sc.start), sc.log]);
  }
  await queues(rec, lib, T, tag);
  await utilities(rec, lib, T, tag);
  if (!opts.awaitedOnly)
    await rec.async(`${tag} async iterable`, () =>
      settle((cb) => lib.mapLimit(T.numbers(6), 2, (x, c) => c(null, x * x), cb)),
    );
}

await main(async (rec, opts) => {
  const T = require(join(opts.pkg, "__differential__", "tasks.js"));
  const bundle = require(opts.pkg);
  const modules = {};
  for (const k of Object.keys(bundle))
    if (existsSync(join(opts.pkg, `${k}.js`))) modules[k] = require(join(opts.pkg, `${k}.js`));
  rec.note(`modules ${Object.keys(modules).length} of ${Object.keys(bundle).length}`);
  const esm = await import(pathToFileURL(join(opts.pkg, "dist", "async.mjs")).href);
  await runAll(rec, bundle, T, "bundle", 1500, opts);
  await runAll(rec, modules, T, "modules", 1500, opts);
  await runAll(rec, esm.default, T, "esm", 500, opts);
});
