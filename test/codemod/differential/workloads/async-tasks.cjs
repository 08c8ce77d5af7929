"use strict";
// User code for the async workload. It is copied into the package folder and instrumented with
// it, because async inspects user functions: it reads their parameter lists from toString()
// (autoInject), their `length` (awaitify, asyncify) and whether they are AsyncFunctions.

/** Call `fn` after `ticks` turns of the event loop (setImmediate is FIFO: deterministic order). */
function later(ticks, fn) {
  if (ticks <= 0) return fn();
  setImmediate(function () {
    later(ticks - 1, fn);
  });
}

const tick = (n) => new Promise((resolve) => later(n, resolve));

/** What an iteratee answers for an item, by kind. */
function answer(kind, item) {
  switch (kind) {
    case "truth":
      return item % 3 === 0;
    case "key":
      return (item * 7) % 11;
    case "concat":
      return [item, -item];
    case "group":
      return item % 4;
    default:
      return item * 2;
  }
}

/** A callback-style iteratee `(item, callback)` that logs its start and end. */
function makeIteratee(log, kind, failOn) {
  return function iteratee(item, callback) {
    log.push(`start ${item}`);
    later(item % 3, () => {
      log.push(`end ${item}`);
      if (failOn(item)) callback(new Error(`bad item ${item}`));
      else callback(null, answer(kind, item));
    });
  };
}

/** `(item, key, callback)` for eachOf/mapValues. */
function makeKeyedIteratee(log, failOn) {
  return function (item, key, callback) {
    log.push(`${key}:${item}`);
    later(key % 2, () =>
      failOn(item) ? callback(new TypeError(`bad ${key}`)) : callback(null, `${key}=${item}`),
    );
  };
}

/** An AsyncFunction iteratee: async wraps it (wrapAsync) instead of passing a callback. */
function makeAsyncIteratee(log, kind, failOn) {
  return async function asyncIteratee(item) {
    log.push(`async start ${item}`);
    await tick(item % 2);
    log.push(`async end ${item}`);
    if (failOn(item)) throw new RangeError(`async bad ${item}`);
    return answer(kind, item);
  };
}

/** reduce/transform iteratees. */
const reducer = (memo, item, callback) =>
  later(1, () => callback(item === 13 ? new Error("no 13") : null, memo + item));
function transformer(acc, item, key, callback) {
  acc.push(key * item);
  callback(null);
}

/** autoInject tasks: dependencies come from parameter names, so toString() must keep them. */
function injectTasks(log, withAsync) {
  const tasks = {
    a: function (callback) {
      log.push("a");
      later(1, () => callback(null, 1));
    },
    b: function (a, callback) {
      log.push(`b ${a}`);
      callback(null, a + 1);
    },
    c: (a, b, callback) => later(0, () => callback(null, a + b)),
    d: function (c, /* a comment */ b, callback) {
      callback(null, c * b);
    },
    e: (d, cb) => cb(null, d + 1),
    h: [
      "a",
      function (a, callback) {
        callback(null, a * 100);
      },
    ],
    i: function named(e, h, callback) {
      log.push(`i ${e} ${h}`);
      callback(null, [e, h]);
    },
  };
  if (withAsync) {
    tasks.f = async function (e, a) {
      await tick(1);
      return e + a;
    };
    tasks.g = async (f) => f * 2;
  }
  return tasks;
}

/** auto tasks: explicit dependency arrays, results object passed along. */
function autoTasks(log, failTask) {
  return {
    one: (callback) => later(1, () => callback(null, 1)),
    two: [
      "one",
      (results, callback) => {
        log.push(`two sees ${JSON.stringify(results)}`);
        callback(failTask === "two" ? new Error("two failed") : null, results.one + 1);
      },
    ],
    three: [
      "one",
      "two",
      function (results, callback) {
        callback(null, results.one + results.two);
      },
    ],
  };
}

/** series/parallel/waterfall task lists. */
function taskList(log, n, failAt) {
  return Array.from(
    { length: n },
    (_, i) =>
      function task(callback) {
        log.push(`task ${i}`);
        later(i % 3, () => callback(i === failAt ? new Error(`task ${i} failed`) : null, i * i));
      },
  );
}

function waterfallList(n, failAt) {
  const first = (callback) => callback(null, 1);
  const rest = Array.from(
    { length: n },
    (_, i) => (value, callback) =>
      later(i % 2, () => callback(i === failAt ? new Error(`step ${i}`) : null, value + i)),
  );
  return [first, ...rest];
}

/** A function with defaults and rest parameters, for the `length` and parameter-list checks. */
function withDefaults(a, b = 2, { c } = {}, ...rest) {
  return [a, b, c, rest.length];
}

/** An async generator: async iterates async iterables through its own internal path. */
async function* numbers(n) {
  for (let i = 0; i < n; i++) {
    await tick(1);
    yield i;
  }
}

module.exports = {
  later,
  tick,
  makeIteratee,
  makeKeyedIteratee,
  makeAsyncIteratee,
  reducer,
  transformer,
  injectTasks,
  autoTasks,
  taskList,
  waterfallList,
  withDefaults,
  numbers,
};
