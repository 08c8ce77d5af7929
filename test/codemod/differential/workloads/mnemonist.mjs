// mnemonist workload: ES5 constructors, `arguments`, `this` and forEach scopes. Each structure is
// driven by a seeded random sequence of operations (valid and invalid), recording every result,
// thrown error and size, with periodic snapshots of the whole contents.
import { createRequire } from "node:module";
import { join } from "node:path";
import { main, rng, ser } from "./common.mjs";

const require = createRequire(import.meta.url);

function levenshtein(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

const WORDS = [
  "a",
  "ab",
  "abc",
  "abd",
  "b",
  "ba",
  "bad",
  "bed",
  "cat",
  "car",
  "cart",
  "dog",
  "do",
  "",
  "zebra",
  "zeal",
  "été",
  "日本",
];

/** Everything a structure's iteration methods and forEach (with a scope) give back. */
function contents(s) {
  const out = {};
  for (const m of ["keys", "values", "entries", "toArray", "inspect", "toJSON"]) {
    if (typeof s[m] === "function")
      out[m] = ser(m === "toArray" || m === "inspect" || m === "toJSON" ? s[m]() : [...s[m]()]);
  }
  if (typeof s.forEach === "function") {
    const scope = { tag: "scope" };
    const seen = [];
    s.forEach(function (v, k) {
      seen.push([v, k, this === scope, arguments.length]);
    }, scope);
    out.forEach = ser(seen);
  }
  out.size = s.size;
  out.iterator = typeof s[Symbol.iterator] === "function" ? ser([...s]) : "none";
  return out;
}

/** Drive one structure with `n` random operations. `ops` maps a name to an argument maker. */
function drive(rec, r, name, make, ops, n) {
  // Built outside the recorder so that a sliced run (every n-th case) still drives every structure.
  const s = make();
  rec.sync(`${name} new`, () => contents(s));
  const names = Object.keys(ops);
  for (let i = 0; i < n; i++) {
    const op = r.pick(names);
    const args = ops[op](r);
    rec.sync(`${name}#${i} ${op}(${args.map((a) => ser(a)).join(", ")})`, () => {
      const res = s[op](...args);
      const value = res === s ? "this" : res && typeof res.next === "function" ? [...res] : res;
      return [value, s.size];
    });
    if (i % 97 === 0) rec.sync(`${name}#${i} contents`, () => contents(s));
  }
  rec.sync(`${name} end`, () => contents(s));
}

const key = (r) => r.pick([r.int(40), `k${r.int(40)}`, r.int(30) === 0 ? undefined : r.int(40)]);
const num = (r) => r.pick([r.int(1000) - 500, r.int(10), r.int(25) === 0 ? NaN : r.int(100), -0]);
const word = (r) => r.pick(WORDS) + (r.int(3) === 0 ? r.pick(WORDS) : "");
const idx = (r) => r.pick([r.int(64), r.int(70), -1, r.int(20) === 0 ? 1e9 : 3]);

function structures(M) {
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    LRUCache: [
      () => new M.LRUCache(16),
      {
        set: (r) => [key(r), num(r)],
        get: (r) => [key(r)],
        peek: (r) => [key(r)],
        has: (r) => [key(r)],
        setpop: (r) => [key(r), num(r)],
      },
    ],
    LRUCacheTyped: [
      () => new M.LRUCache(Array, Uint16Array, 12),
      { set: (r) => [key(r), r.int(70000)], get: (r) => [key(r)], setpop: (r) => [key(r), num(r)] },
    ],
    LRUMapWithDelete: [
      () => new M.LRUMapWithDelete(10),
      {
        set: (r) => [key(r), num(r)],
        get: (r) => [key(r)],
        delete: (r) => [key(r)],
        remove: (r) => [key(r), "missing"],
        setpop: (r) => [key(r), num(r)],
        clear: () => [],
      },
    ],
    Heap: [
      () => new M.Heap(cmp),
      {
        push: (r) => [num(r)],
        pop: () => [],
        peek: () => [],
        replace: (r) => [num(r)],
        pushpop: (r) => [num(r)],
      },
    ],
    MaxHeap: [
      () => M.MaxHeap.from([5, 1, 9, 3], cmp),
      { push: (r) => [num(r)], pop: () => [], pushpop: (r) => [num(r)], consume: () => [] },
    ],
    FibonacciHeap: [
      () => new M.MinFibonacciHeap(),
      { push: (r) => [num(r)], pop: () => [], peek: () => [], clear: () => [] },
    ],
    FixedReverseHeap: [
      () => new M.FixedReverseHeap(Array, cmp, 7),
      { push: (r) => [num(r)], peek: () => [], consume: () => [] },
    ],
    Trie: [
      () => new M.Trie(),
      {
        add: (r) => [word(r)],
        delete: (r) => [word(r)],
        has: (r) => [word(r)],
        find: (r) => [word(r).slice(0, 1)],
      },
    ],
    TrieMap: [
      () => new M.TrieMap(),
      {
        set: (r) => [word(r), num(r)],
        get: (r) => [word(r)],
        delete: (r) => [word(r)],
        find: (r) => [word(r).slice(0, 2)],
        prefixes: (r) => [word(r)],
        update: (r) => [word(r), (v) => (v || 0) + 1],
      },
    ],
    BiMap: [
      () => new M.BiMap(),
      { set: (r) => [key(r), num(r)], delete: (r) => [key(r)], has: (r) => [key(r)], get: (r) => [key(r)] },
    ],
    Vector: [
      () => new M.Vector(Array, 4),
      {
        push: (r) => [num(r)],
        pop: () => [],
        set: (r) => [idx(r), num(r)],
        get: (r) => [idx(r)],
        resize: (r) => [r.int(20)],
        grow: (r) => [r.int(40)],
      },
    ],
    Uint32Vector: [
      () => new M.Uint32Vector({ initialLength: 3, policy: (c) => c * 3 }),
      {
        push: (r) => [num(r)],
        pop: () => [],
        set: (r) => [idx(r), num(r)],
        get: (r) => [idx(r)],
        resize: (r) => [r.int(20)],
      },
    ],
    BloomFilter: [
      () => new M.BloomFilter({ capacity: 200, errorRate: 0.05 }),
      { add: (r) => [word(r)], test: (r) => [word(r)] },
    ],
    BitSet: [
      () => new M.BitSet(70),
      {
        set: (r) => [idx(r), r.int(2)],
        reset: (r) => [idx(r)],
        flip: (r) => [idx(r)],
        get: (r) => [idx(r)],
        test: (r) => [idx(r)],
        rank: (r) => [idx(r)],
        select: (r) => [r.int(10)],
      },
    ],
    CircularBuffer: [
      () => new M.CircularBuffer(Array, 6),
      {
        push: (r) => [num(r)],
        unshift: (r) => [num(r)],
        pop: () => [],
        shift: () => [],
        peekFirst: () => [],
        peekLast: () => [],
        get: (r) => [r.int(8)],
      },
    ],
    FixedDeque: [
      () => new M.FixedDeque(Int32Array, 5),
      {
        push: (r) => [num(r)],
        unshift: (r) => [num(r)],
        pop: () => [],
        shift: () => [],
        get: (r) => [r.int(7)],
      },
    ],
    FixedStack: [() => new M.FixedStack(Array, 5), { push: (r) => [num(r)], pop: () => [], peek: () => [] }],
    LinkedList: [
      () => new M.LinkedList(),
      {
        push: (r) => [num(r)],
        unshift: (r) => [num(r)],
        shift: () => [],
        first: () => [],
        last: () => [],
        toString: () => [],
      },
    ],
    Queue: [
      () => M.Queue.of(1, 2, 3),
      { enqueue: (r) => [num(r)], dequeue: () => [], peek: () => [], toString: () => [] },
    ],
    Stack: [() => M.Stack.from([1, 2]), { push: (r) => [num(r)], pop: () => [], peek: () => [] }],
    MultiMap: [
      () => new M.MultiMap(Set),
      {
        set: (r) => [key(r), r.int(5)],
        delete: (r) => [key(r)],
        remove: (r) => [key(r), r.int(5)],
        get: (r) => [key(r)],
        multiplicity: (r) => [key(r)],
      },
    ],
    MultiSet: [
      () => new M.MultiSet(),
      {
        add: (r) => [word(r), r.int(4)],
        remove: (r) => [word(r), r.int(3)],
        set: (r) => [word(r), r.int(5)],
        edit: (r) => [word(r), word(r)],
        count: (r) => [word(r)],
        top: (r) => [r.int(5)],
      },
    ],
    SparseSet: [
      () => new M.SparseSet(50),
      { add: (r) => [r.int(50)], delete: (r) => [r.int(50)], has: (r) => [idx(r)] },
    ],
    SparseMap: [
      () => new M.SparseMap(Float64Array, 40),
      {
        set: (r) => [r.int(40), num(r)],
        get: (r) => [r.int(40)],
        delete: (r) => [r.int(40)],
        has: (r) => [r.int(45)],
      },
    ],
    StaticDisjointSet: [
      () => new M.StaticDisjointSet(40),
      {
        union: (r) => [r.int(40), r.int(40)],
        find: (r) => [r.int(40)],
        connected: (r) => [r.int(40), r.int(40)],
        compile: () => [],
        mapping: () => [],
      },
    ],
    DefaultMap: [
      () => new M.DefaultMap(() => []),
      {
        get: (r) => [key(r)],
        peek: (r) => [key(r)],
        set: (r) => [key(r), [num(r)]],
        delete: (r) => [key(r)],
      },
    ],
    HashedArrayTree: [
      () => new M.HashedArrayTree(Array, { initialCapacity: 2, blockSize: 4 }),
      {
        push: (r) => [num(r)],
        pop: () => [],
        get: (r) => [r.int(20)],
        set: (r) => [r.int(20), num(r)],
        resize: (r) => [r.int(16)],
      },
    ],
    BKTree: [() => new M.BKTree(levenshtein), { add: (r) => [word(r)], search: (r) => [r.int(3), word(r)] }],
    InvertedIndex: [
      () => new M.InvertedIndex((s) => String(s).split(/\s+/)),
      { add: (r) => [`${word(r)} ${word(r)} ${word(r)}`], get: (r) => [word(r)] },
    ],
    FuzzyMap: [
      () => new M.FuzzyMap((s) => String(s).toLowerCase().slice(0, 2)),
      { add: (r) => [word(r)], set: (r) => [word(r), num(r)], get: (r) => [word(r)], has: (r) => [word(r)] },
    ],
    SymSpell: [() => new M.SymSpell({ maxDistance: 2 }), { add: (r) => [word(r)], search: (r) => [word(r)] }],
    PassjoinIndex: [
      () => new M.PassjoinIndex(levenshtein, 1),
      { add: (r) => [word(r)], search: (r) => [word(r)] },
    ],
  };
}

function statics(rec, M) {
  const points = Array.from({ length: 60 }, (_, i) => [(i * 37) % 17, (i * 11) % 23]);
  rec.sync("Heap.nsmallest", () => M.Heap.nsmallest(5, [9, 3, 7, 1, 8, 2, 6]));
  rec.sync("Heap.nlargest", () => M.Heap.nlargest((a, b) => a.length - b.length, 3, WORDS));
  rec.sync("SuffixArray", () => new M.SuffixArray("banana bandana").array);
  rec.sync("GeneralizedSuffixArray", () =>
    new M.GeneralizedSuffixArray(["banana", "bandana", "anagram"]).longestCommonSubsequence(),
  );
  rec.sync("KDTree", () => {
    const t = M.KDTree.from(
      points.map((p, i) => [i, p]),
      2,
    );
    return [
      t.nearestNeighbor([5, 5]),
      t.kNearestNeighbors(4, [10, 3]),
      t.linearKNearestNeighbors(4, [10, 3]),
    ];
  });
  rec.sync("VPTree", () => {
    const t = new M.VPTree(levenshtein, WORDS);
    return [t.nearestNeighbors(3, "cab"), t.neighbors(1, "bat")];
  });
  rec.sync("StaticIntervalTree", () => {
    const t = M.StaticIntervalTree.from(points);
    return [t.intervalsContainingPoint(7), t.intervalsOverlappingInterval([3, 4])];
  });
  rec.sync("set functions", () => {
    const a = new Set([1, 2, 3, 4]);
    const b = new Set([3, 4, 5]);
    return [
      M.set.intersection(a, b),
      M.set.union(a, b),
      M.set.difference(a, b),
      M.set.symmetricDifference(a, b),
      M.set.isSubset(b, a),
      M.set.intersectionSize(a, b),
      M.set.jaccard(a, b),
    ];
  });
  rec.sync("MultiSet.isSubset", () =>
    M.MultiSet.isSubset(M.MultiSet.from(["a", "a"]), M.MultiSet.from(["a", "a", "b"])),
  );
  rec.sync("LRUCache.from", () => [...M.LRUCache.from({ a: 1, b: 2, c: 3 }, 2).entries()]);
  for (const bad of [
    () => new M.FixedDeque(Array),
    () => new M.CircularBuffer(Array, -1),
    () => new M.BitSet(),
    () => M.Heap.from(null),
    () => new M.LRUCache(),
    () => new M.HashedArrayTree(),
  ]) {
    rec.sync(`bad ${bad.toString().slice(6)}`, () => contents(bad()));
  }
}

await main(async (rec, opts) => {
  const M = require(join(opts.pkg, "index.js"));
  const r = rng(40);
  for (const [name, [make, ops]] of Object.entries(structures(M))) drive(rec, r, name, make, ops, 800);
  statics(rec, M);
  // The modules one by one, as `require('mnemonist/lru-cache')` users load them.
  const LRU = require(join(opts.pkg, "lru-cache.js"));
  drive(
    rec,
    r,
    "lru-cache.js",
    () => new LRU(Array, Array, 8),
    { set: (x) => [key(x), num(x)], get: (x) => [key(x)] },
    500,
  );
  rec.note(`exports ${ser(Object.keys(M).map((k) => [k, typeof M[k], M[k] && M[k].length]))}`);
});
